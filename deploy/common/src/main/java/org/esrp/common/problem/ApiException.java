package org.esrp.common.problem;

import java.util.UUID;

/** A request a service refuses, with the HTTP status and the field at fault (null when none). */
public class ApiException extends RuntimeException {

    private final int status;
    private final String field;

    public ApiException(int status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, field, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, null, message);
    }

    public static ApiException notFound(String what, UUID id) {
        return notFound(what + " " + id + " does not exist");
    }

    /** Well-formed, but it clashes with the current state (a name already taken, a round not yet possible). */
    public static ApiException conflict(String field, String message) {
        return new ApiException(409, field, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, null, message);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
