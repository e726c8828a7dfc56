package org.jlvs.api.sync;

import java.util.Objects;

/**
 * What a master daemon hands the core: the rule to apply per packet and the queue to put the entries to send
 * in. The core keeps the feed in one volatile field: with no master running the packet path pays that one
 * read per packet; with one, the rule's few int operations and, when it says so, one {@link SyncQueue#offer}.
 */
public record SyncFeed(SyncRule rule, SyncQueue queue) {
    public SyncFeed {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(queue, "queue");
    }
}
