package org.jlvs.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jlvs.ipvsadm.Models;
import org.junit.jupiter.api.Test;

/** The published schema (jlvs-config-1.schema.json) names exactly the fields the reader and writer know. */
class JsonSchemaTest {
    private static Set<String> names(JsonNode properties) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = properties.fieldNames(); it.hasNext(); ) names.add(it.next());
        return names;
    }

    @Test
    void theSchemaMatchesTheFormat() throws IOException {
        JsonNode schema;
        try (InputStream in = JsonConfig.class.getResourceAsStream("/jlvs-config-1.schema.json")) {
            assertNotNull(in, "the schema is in the bundle");
            schema = new ObjectMapper().readTree(in);
        }
        JsonNode defs = schema.get("$defs");
        assertEquals(JsonConfig.FORMAT, schema.at("/properties/format/const").asText());
        assertEquals(JsonConfig.VERSION, schema.at("/properties/version/const").asInt());
        assertEquals(Set.of("format", "version", "services"), names(schema.get("properties")));
        assertEquals(new TreeSet<>(Set.of("protocol", "address", "port", "scheduler", "flags", "persistence", "netmask",
                "servers")), names(defs.at("/service/properties")));
        assertEquals(new TreeSet<>(Set.of("address", "port", "method", "weight", "upperThreshold", "lowerThreshold",
                "tunnel")), names(defs.at("/server/properties")));
        assertEquals(Set.of("type", "port"), names(defs.at("/server/properties/tunnel/properties")));
        // every field the writer writes is in the schema
        JsonNode written = new ObjectMapper().readTree(JsonConfig.write(Models.everything().values()));
        for (JsonNode service : written.get("services")) {
            assertEquals(true, names(defs.at("/service/properties")).containsAll(names(service)), service.toString());
            for (JsonNode server : service.get("servers")) {
                assertEquals(true, names(defs.at("/server/properties")).containsAll(names(server)), server.toString());
            }
        }
    }
}
