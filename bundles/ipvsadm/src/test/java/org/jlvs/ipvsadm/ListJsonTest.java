package org.jlvs.ipvsadm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ListJsonTest {
    @Test
    void countersAndTimeoutsAreOneJsonObjectEach() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("frames_in", 12L);
        counters.put("dropped_malformed", 3L);
        assertEquals("{\"frames_in\":12,\"dropped_malformed\":3}\n", ListJson.counters(counters));
        assertEquals("{\"tcp\":900,\"tcpfin\":120,\"udp\":300}\n", ListJson.timeouts(new int[] {900, 120, 300}));
    }

    @Test
    void stringsAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\u000a\"", ListJson.str("a\"b\\c\n"));
    }

    @Test
    void prettyIndentsOneMemberALineAndKeepsStringsAndEmptyContainers() {
        assertEquals("{\n  \"a\": [\n    1,\n    {\n      \"b\": \"x,{y}: \\\"z\\\"\"\n    }\n  ],\n  \"e\": [],\n  \"o\": {}\n}\n",
                ListJson.pretty("{\"a\":[1,{\"b\":\"x,{y}: \\\"z\\\"\"}],\"e\":[],\"o\":{}}\n"));
    }
}
