package org.jlvs.ha.internal;

import java.util.List;
import java.util.function.IntConsumer;

/** Runs a script and tells its exit status later ({@link ScriptRunner}; a fake in tests). */
interface Scripts {
    /** Returns at once; {@code done} gets the exit status, {@link ScriptRunner#TIMED_OUT} or {@link ScriptRunner#NOT_STARTED}. */
    void run(String commandLine, List<String> args, long timeoutNanos, IntConsumer done);
}
