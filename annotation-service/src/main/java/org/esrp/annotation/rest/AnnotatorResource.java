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
import org.esrp.annotation.domain.Annotator;
import org.esrp.annotation.rest.AdminRequests.AnnotatorRequest;
import org.esrp.annotation.service.AnnotatorService;
import org.esrp.annotation.service.AnnotatorService.Registered;
import org.esrp.annotation.service.Authenticator;
import org.esrp.annotation.service.TaskService;
import org.esrp.annotation.service.TaskView;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;

@Path("/annotators")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "annotators", description = "Register annotators (admin); an annotator's own profile and progress")
public class AnnotatorResource {

    private final Authenticator auth;
    private final AnnotatorService annotators;
    private final TaskService tasks;

    public AnnotatorResource(Authenticator auth, AnnotatorService annotators, TaskService tasks) {
        this.auth = auth;
        this.annotators = annotators;
        this.tasks = tasks;
    }

    public record AnnotatorView(UUID id, String displayName, Set<UUID> characterIds, Set<String> languages) {
        static AnnotatorView of(Annotator a) {
            return new AnnotatorView(a.id, a.displayName, a.characterIds, a.languages);
        }
    }

    /** Returns the annotator's bearer token, this once. */
    @POST
    public Uni<RestResponse<Registered>> register(@RestHeader("Authorization") String authorization,
                                                  @NotNull @Valid AnnotatorRequest request) {
        return auth.requireAdmin(authorization)
                .flatMap(admin -> annotators.register(request.displayName(), request.characterIds(), request.languages(), request.responderIds()))
                .map(r -> RestResponse.ResponseBuilder.<Registered>created(URI.create("/annotators/" + r.id())).entity(r).build());
    }

    @GET
    public Uni<List<AnnotatorView>> list(@RestHeader("Authorization") String authorization) {
        return auth.requireAdmin(authorization).flatMap(admin -> annotators.list())
                .map(list -> list.stream().map(AnnotatorView::of).toList());
    }

    @GET
    @Path("me")
    public Uni<AnnotatorView> me(@RestHeader("Authorization") String authorization) {
        return auth.requireAnnotator(authorization).map(caller -> AnnotatorView.of(caller.annotator()));
    }

    @GET
    @Path("me/progress")
    public Uni<TaskView.Progress> progress(@RestHeader("Authorization") String authorization, @RestQuery String study) {
        UUID studyId = TaskResource.studyId(study);
        return auth.requireAnnotator(authorization).flatMap(caller -> tasks.progress(caller.annotator(), studyId));
    }

}
