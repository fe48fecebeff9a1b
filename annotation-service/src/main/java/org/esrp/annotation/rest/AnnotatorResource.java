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
import org.esrp.annotation.service.AnnotatorTokens;
import org.esrp.annotation.service.AnnotatorService.Registered;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import org.esrp.common.security.Roles;
import org.esrp.annotation.service.TaskService;
import org.esrp.annotation.service.TaskView;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;

@Path("/annotators")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "annotators", description = "Register annotators (researchers); an annotator's own profile and progress")
public class AnnotatorResource {

    private final SecurityIdentity identity;
    private final AnnotatorService annotators;
    private final TaskService tasks;

    public AnnotatorResource(SecurityIdentity identity, AnnotatorService annotators, TaskService tasks) {
        this.identity = identity;
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
    @RolesAllowed(Roles.RESEARCHER)
    public Uni<RestResponse<Registered>> register(@NotNull @Valid AnnotatorRequest request) {
        return annotators.register(request.displayName(), request.characterIds(), request.languages(), request.responderIds())
                .map(r -> RestResponse.ResponseBuilder.<Registered>created(URI.create("/annotators/" + r.id())).entity(r).build());
    }

    @GET
    @RolesAllowed(Roles.RESEARCHER)
    public Uni<List<AnnotatorView>> list() {
        return annotators.list()
                .map(list -> list.stream().map(AnnotatorView::of).toList());
    }

    @GET
    @Path("me")
    @RolesAllowed(Roles.ANNOTATOR)
    public Uni<AnnotatorView> me() {
        return Uni.createFrom().item(AnnotatorView.of(annotator()));
    }

    @GET
    @Path("me/progress")
    @RolesAllowed(Roles.ANNOTATOR)
    public Uni<TaskView.Progress> progress(@RestQuery String study) {
        UUID studyId = TaskResource.studyId(study);
        return tasks.progress(annotator(), studyId);
    }

    private Annotator annotator() {
        return AnnotatorTokens.annotator(identity);
    }
}
