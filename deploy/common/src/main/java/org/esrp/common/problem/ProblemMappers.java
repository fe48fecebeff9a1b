package org.esrp.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Every client error of every service leaves as application/problem+json naming the field at fault. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return respond(problem(e));
    }

    /** The problem an {@link ApiException} is answered with (also inside batch answers). */
    public static Problem problem(ApiException e) {
        Response.StatusType status = Response.Status.fromStatusCode(e.status());
        return Problem.of(e.status(), status != null ? status.getReasonPhrase() : "Unprocessable Content", e.getMessage(), e.field());
    }

    // No credentials, or credentials nobody issued: the same answer, so that a probe learns nothing about tokens.
    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return unauthenticated();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return unauthenticated();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(Problem.of(403, "Forbidden", "this token's role may not do this (see the README's endpoint tables)", "Authorization"));
    }

    private static Response unauthenticated() {
        return Response.status(401).header("WWW-Authenticate", "Bearer realm=\"esrp\"").type(Problem.MEDIA_TYPE)
                .entity(Problem.of(401, "Unauthorized", "send 'Authorization: Bearer <token>' with a token this platform issued", "Authorization"))
                .build();
    }

    // A dependency (the database) that did not answer within its time limit: the request may be sent again.
    @ServerExceptionMapper
    public Response timedOut(org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException e) {
        return Response.status(503).header("Retry-After", "2").type(Problem.MEDIA_TYPE)
                .entity(Problem.of(503, "Service Unavailable", "the database did not answer in time; send the request again", null))
                .build();
    }

    @ServerExceptionMapper
    public Response violations(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + " " + f.message()).collect(Collectors.joining("; "));
        return respond(new Problem("about:blank", "Bad Request", 400, detail, errors));
    }

    // Mapped type by type: Quarkus ships mappers of its own for some of these, and the closest type wins.
    @ServerExceptionMapper
    public Response unparsable(com.fasterxml.jackson.core.JsonParseException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response mismatched(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response invalidFormat(com.fasterxml.jackson.databind.exc.InvalidFormatException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response unmappable(JsonMappingException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return respond(jsonProblem(e));
    }

    /** A body that is not JSON of the expected shape: 400 naming the JSON path at fault ("body" when none). */
    public static Problem jsonProblem(JsonProcessingException e) {
        String field = e instanceof JsonMappingException m ? pathOf(m) : null;
        String detail = e.getOriginalMessage();
        if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            detail += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        return Problem.of(400, "Bad Request", detail, field == null || field.isEmpty() ? "body" : field);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        int status = e.getResponse().getStatus();
        return respond(Problem.of(status, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage(), null));
    }

    public static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String pathOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String fieldOf(ConstraintViolation<?> violation) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER) {
                continue;
            }
            if (node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            }
            if (node.getName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(node.getName());
            }
        }
        return field.isEmpty() ? "body" : field.toString();
    }
}
