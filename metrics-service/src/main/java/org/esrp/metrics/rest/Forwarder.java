package org.esrp.metrics.rest;

import org.esrp.common.problem.Problem;
import org.esrp.common.security.AccessConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.esrp.metrics.config.MetricsConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks the instance that owns a study for what was asked here, and answers with its answer: so any instance answers
 * for any study. A forwarded request carries {@value #HEADER}, and is never forwarded again.
 */
@ApplicationScoped
public class Forwarder {

    public static final String HEADER = "X-ESRP-Forwarded";
    /** The instance that computed an answer (its application server), on every answer about a study. */
    public static final String SERVED_BY = "X-ESRP-Served-By";

    // HTTP/1.1: each relayed stream on a connection of its own, not multiplexed after an h2c upgrade
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Duration timeout;
    private final String authorization;

    // The caller was authorized here; the instance that owns the study trusts this one, which asks as the admin.
    public Forwarder(MetricsConfig config, AccessConfig access) {
        this.timeout = config.forwardTimeout();
        this.authorization = "Bearer " + access.adminToken();
    }

    public Uni<Response> get(String owner, URI request) {
        HttpRequest forwarded = HttpRequest.newBuilder(target(owner, request)).timeout(timeout).header(HEADER, "1").header("Authorization", authorization).GET().build();
        return Uni.createFrom().completionStage(() -> client.sendAsync(forwarded, HttpResponse.BodyHandlers.ofByteArray()))
                .map(answer -> Response.status(answer.statusCode())
                        .type(answer.headers().firstValue("Content-Type").orElse("application/json"))
                        .header(SERVED_BY, answer.headers().firstValue(SERVED_BY).orElse(null))
                        .entity(answer.body()).build())
                .onFailure().recoverWithItem(e -> unavailable("the instance that serves this study (" + owner + ") did not answer: "
                        + e.getMessage()).getResponse());
    }

    /** The owner's event stream, relayed event by event (each event's data). */
    public Multi<String> stream(String owner, URI request) {
        HttpRequest forwarded = HttpRequest.newBuilder(target(owner, request)).header(HEADER, "1").header("Authorization", authorization)
                .header("Accept", "text/event-stream").GET().build();
        UnicastProcessor<String> lines = UnicastProcessor.create();
        client.sendAsync(forwarded, HttpResponse.BodyHandlers.fromLineSubscriber(lines))
                .whenComplete((answer, error) -> {
                    if (error != null) {
                        lines.onError(error);
                    }
                });
        return lines.filter(line -> line.startsWith("data:")).map(line -> line.substring(5).stripLeading());
    }

    static jakarta.ws.rs.WebApplicationException unavailable(String detail) {
        Problem problem = Problem.of(503, "Service Unavailable", detail, null);
        return new jakarta.ws.rs.WebApplicationException(Response.status(503).header("Retry-After", "1")
                .type("application/problem+json").entity(problem).build());
    }

    private static URI target(String owner, URI request) {
        return URI.create(owner + request.getRawPath() + (request.getRawQuery() == null ? "" : "?" + request.getRawQuery()));
    }
}
