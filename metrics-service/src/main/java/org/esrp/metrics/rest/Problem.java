package org.esrp.metrics.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** RFC 9457 problem details, with the field at fault. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public record FieldError(String field, String message) {
    }

    static WebApplicationException of(int status, String title, String field, String detail) {
        Problem problem = new Problem("about:blank", title, status, detail, field == null ? null : List.of(new FieldError(field, detail)));
        return new WebApplicationException(Response.status(status).type("application/problem+json").entity(problem).build());
    }
}
