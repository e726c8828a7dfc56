package org.jlvs.api;

/** A refused configuration change, with a message meant for the operator ("Service already exists"). */
public class LvsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LvsException(String message) {
        super(message);
    }
}
