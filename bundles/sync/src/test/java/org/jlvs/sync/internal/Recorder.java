package org.jlvs.sync.internal;

import java.util.ArrayList;
import java.util.List;

import org.jlvs.api.sync.SyncEntry;

/** A decoder listener that keeps copies of what it is told. */
final class Recorder implements SyncDecoder.Listener {
    final List<SyncEntry> entries = new ArrayList<>();
    final List<Integer> versions = new ArrayList<>();
    final List<SyncDecoder.Skip> skipped = new ArrayList<>();

    @Override
    public void entry(SyncEntry e, int version) {
        entries.add(new SyncEntry().copyFrom(e));
        versions.add(version);
    }

    @Override
    public void skipped(SyncDecoder.Skip why) {
        skipped.add(why);
    }

    void clear() {
        entries.clear();
        versions.clear();
        skipped.clear();
    }
}
