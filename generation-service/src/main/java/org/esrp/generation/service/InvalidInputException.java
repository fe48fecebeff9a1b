package org.esrp.generation.service;

/** Input the caller must fix: answered with 400 naming the field (or position in a file) at fault. */
public class InvalidInputException extends RuntimeException {

    private final String field;

    public InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
