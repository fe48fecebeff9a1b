package org.esrp.annotation.rest;

import org.esrp.common.problem.Problem;
import org.esrp.common.problem.ProblemMappers;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.esrp.common.problem.ApiException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import org.esrp.common.security.Roles;
import org.esrp.annotation.domain.Annotator;
import org.esrp.annotation.service.AnnotatorTokens;
import org.esrp.annotation.service.RatingBatch;
import org.esrp.annotation.service.RatingRequest;
import org.esrp.annotation.service.RatingService;
import org.esrp.annotation.service.RatingView;
import org.esrp.annotation.service.TaskService;
import org.esrp.annotation.service.TaskView;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;
import java.util.UUID;

@Path("/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "tasks", description = "Blind rating tasks for annotation front ends")
@RolesAllowed(Roles.ANNOTATOR)
public class TaskResource {

    private final SecurityIdentity identity;
    private final TaskService tasks;
    private final RatingService ratings;

    public TaskResource(SecurityIdentity identity, TaskService tasks, RatingService ratings) {
        this.identity = identity;
        this.tasks = tasks;
        this.ratings = ratings;
    }

    /** 204 when nothing is left for this annotator. */
    @GET
    @Path("next")
    public Uni<RestResponse<TaskView>> next(@RestQuery String study) {
        UUID studyId = studyId(study);
        return tasks.next(annotator(), studyId)
                .map(task -> task == null ? RestResponse.noContent() : RestResponse.ok(task));
    }

    /**
     * Up to {@code count} (1-100) leased tasks at once, for front ends that rate offline: the annotator's live leases
     * in the study first, then new ones; an empty list when nothing is left.
     */
    @GET
    public Uni<List<TaskView>> leases(@RestQuery String study,
                                      @RestQuery @DefaultValue("10") int count) {
        UUID studyId = studyId(study);
        return tasks.leases(annotator(), studyId, count);
    }

    /**
     * Up to 100 ratings of leased tasks, each with its own Idempotency-Key; 200 with one result per rating in the
     * batch's order, each what {@code POST /tasks/{taskId}/ratings} would have answered (status and rating, or problem).
     */
    @POST
    @Path("ratings:batch")
    public Uni<BatchResults> rateAll(@NotNull @Valid RatingBatch batch) {
        return ratings.submitAll(annotator(), batch)
                .map(outcomes -> new BatchResults(outcomes.stream().map(TaskResource::result).toList()));
    }

    /** The outcome of one rating of a batch. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BatchResult(String taskId, String idempotencyKey, int status, RatingView rating, Problem problem) {
    }

    public record BatchResults(List<BatchResult> results) {
    }

    private static BatchResult result(RatingBatch.Outcome outcome) {
        RatingBatch.Entry entry = outcome.entry();
        if (outcome.refused() != null) {
            ApiException e = outcome.refused();
            return new BatchResult(entry.taskId(), entry.idempotencyKey(), e.status(), null, ProblemMappers.problem(e));
        }
        return new BatchResult(entry.taskId(), entry.idempotencyKey(), outcome.submitted().created() ? 201 : 200,
                outcome.submitted().rating(), null);
    }

    /**
     * 201 once per Idempotency-Key; the same key with the same request returns the same rating (200) without a second
     * one; the same key with another task or body is refused (422) and stores nothing.
     */
    @POST
    @Path("{taskId}/ratings")
    public Uni<RestResponse<RatingView>> rate(@RestHeader("Idempotency-Key") String idempotencyKey,
                                              @RestPath String taskId, @NotNull @Valid RatingRequest request) {
        UUID id = uuid(taskId);
        return ratings.submit(annotator(), id, idempotencyKey, request)
                .map(submitted -> RestResponse.status(submitted.created() ? RestResponse.Status.CREATED : RestResponse.Status.OK,
                        submitted.rating()));
    }

    static UUID studyId(String study) {
        if (study == null || study.isBlank()) {
            throw ApiException.badRequest("study", "is required");
        }
        try {
            return UUID.fromString(study);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("study", "must be a study id (UUID)");
        }
    }

    private static UUID uuid(String taskId) {
        try {
            return UUID.fromString(taskId);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("task " + taskId + " does not exist");
        }
    }

    private Annotator annotator() {
        return AnnotatorTokens.annotator(identity);
    }
}
