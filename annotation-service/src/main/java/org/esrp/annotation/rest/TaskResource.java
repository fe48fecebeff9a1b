package org.esrp.annotation.rest;

import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.esrp.annotation.service.ApiException;
import org.esrp.annotation.service.Authenticator;
import org.esrp.annotation.service.RatingRequest;
import org.esrp.annotation.service.RatingService;
import org.esrp.annotation.service.RatingView;
import org.esrp.annotation.service.TaskService;
import org.esrp.annotation.service.TaskView;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.UUID;

@Path("/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "tasks", description = "Blind rating tasks for annotation front ends")
public class TaskResource {

    private final Authenticator auth;
    private final TaskService tasks;
    private final RatingService ratings;

    public TaskResource(Authenticator auth, TaskService tasks, RatingService ratings) {
        this.auth = auth;
        this.tasks = tasks;
        this.ratings = ratings;
    }

    /** 204 when nothing is left for this annotator. */
    @GET
    @Path("next")
    public Uni<RestResponse<TaskView>> next(@RestHeader("Authorization") String authorization, @RestQuery String study) {
        UUID studyId = studyId(study);
        return auth.requireAnnotator(authorization)
                .flatMap(caller -> tasks.next(caller.annotator(), studyId))
                .map(task -> task == null ? RestResponse.noContent() : RestResponse.ok(task));
    }

    /** 201 once per Idempotency-Key; the same key again returns the same rating (200) without a second one. */
    @POST
    @Path("{taskId}/ratings")
    public Uni<RestResponse<RatingView>> rate(@RestHeader("Authorization") String authorization,
                                              @RestHeader("Idempotency-Key") String idempotencyKey,
                                              @RestPath String taskId, @NotNull @Valid RatingRequest request) {
        UUID id = uuid(taskId);
        return auth.requireAnnotator(authorization)
                .flatMap(caller -> ratings.submit(caller.annotator(), id, idempotencyKey, request))
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
}
