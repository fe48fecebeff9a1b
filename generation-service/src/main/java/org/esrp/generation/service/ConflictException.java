package org.esrp.generation.service;

/** A request that is well-formed but clashes with the current state (e.g. a name already taken). */
public class ConflictException extends RuntimeException {

    private final String field;

    public ConflictException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
