package org.esrp.generation.rest;

import jakarta.annotation.security.RolesAllowed;
import org.esrp.common.security.Roles;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.esrp.generation.service.RunService;
import org.esrp.generation.service.RunService.RunProgress;
import org.esrp.llm.Budgets;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.util.List;
import java.util.UUID;

@Path("/studies/{studyId}/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs", description = "Generate every missing or failed LLM dialogue of a study")
@RolesAllowed(Roles.ANALYST)
public class RunResource {

    private final RunService runs;

    public RunResource(RunService runs) {
        this.runs = runs;
    }

    @POST
    @RolesAllowed(Roles.RESEARCHER)
    public Uni<RestResponse<RunProgress>> start(@RestPath UUID studyId, @RestQuery String budget) {
        return runs.start(studyId, Budgets.parse(budget)).map(start -> start.created()
                ? StudyResource.created("/studies/" + studyId + "/runs/" + start.run().id(), start.run())
                : RestResponse.ok(start.run()));
    }

    @PUT
    @RolesAllowed(Roles.RESEARCHER)
    @Path("{runId}/budget")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RunProgress> budget(@RestPath UUID studyId, @RestPath UUID runId, @NotNull @Valid Budgets.BudgetRequest request) {
        return runs.setBudget(studyId, runId, request.budget());
    }

    @GET
    public Uni<List<RunProgress>> list(@RestPath UUID studyId) {
        return runs.list(studyId);
    }

    @GET
    @Path("{runId}")
    public Uni<RunProgress> get(@RestPath UUID studyId, @RestPath UUID runId) {
        return runs.progress(studyId, runId);
    }

    @DELETE
    @RolesAllowed(Roles.RESEARCHER)
    @Path("{runId}")
    public Uni<RunProgress> cancel(@RestPath UUID studyId, @RestPath UUID runId) {
        return runs.cancel(studyId, runId);
    }

    @GET
    @Path("{runId}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<RunProgress> events(@RestPath UUID studyId, @RestPath UUID runId) {
        return runs.events(studyId, runId);
    }
}
