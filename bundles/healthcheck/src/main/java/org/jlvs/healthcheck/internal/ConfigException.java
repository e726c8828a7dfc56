package org.jlvs.healthcheck.internal;

/** A stored health setting that cannot be read, naming where it is ("key check.1 (...)") and what is wrong. */
final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    ConfigException(String where, String reason) {
        super(where + ": " + reason);
    }
}
