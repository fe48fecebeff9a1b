package org.esrp.annotation.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.esrp.annotation.domain.Judge;
import org.esrp.annotation.service.JudgeService;
import org.esrp.annotation.service.JudgeService.JudgeRunProgress;
import org.esrp.common.security.Roles;
import org.esrp.llm.Budgets;
import org.esrp.llm.LlmRequest;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.util.List;
import java.util.UUID;

@Path("/studies/{studyId}/judges")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "judges", description = "LLM judges: rate a study's DIALOGUE items beside the annotators, blind, on its rubric")
@RolesAllowed(Roles.ANALYST)
public class JudgeResource {

    private final JudgeService judges;

    public JudgeResource(JudgeService judges) {
        this.judges = judges;
    }

    /** A judge: a model behind an OpenAI-compatible endpoint, and what the researcher adds to its prompt. */
    public record JudgeRequest(@NotBlank @Size(max = 200) String name, @Size(max = 8000) String instructions,
                               @NotNull @Valid LlmRequest llm) {
        Judge toJudge() {
            Judge judge = new Judge();
            judge.name = name.strip();
            judge.instructions = instructions;
            judge.llm = llm.toSettings();
            return judge;
        }
    }

    @POST
    @RolesAllowed(Roles.RESEARCHER)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Judge>> create(@RestPath UUID studyId, @NotNull @Valid JudgeRequest request) {
        return judges.create(studyId, request.toJudge())
                .map(judge -> RestResponse.ResponseBuilder.<Judge>created(URI.create("/studies/" + studyId + "/judges/" + judge.id)).entity(judge).build());
    }

    @GET
    public Uni<List<Judge>> list(@RestPath UUID studyId) {
        return judges.list(studyId);
    }

    @GET
    @Path("{judgeId}")
    public Uni<Judge> get(@RestPath UUID studyId, @RestPath UUID judgeId) {
        return judges.judge(studyId, judgeId);
    }

    @POST
    @Path("{judgeId}/runs")
    @RolesAllowed(Roles.RESEARCHER)
    public Uni<RestResponse<JudgeRunProgress>> start(@RestPath UUID studyId, @RestPath UUID judgeId, @RestQuery String budget) {
        return judges.start(studyId, judgeId, Budgets.parse(budget))
                .map(start -> start.created()
                        ? RestResponse.ResponseBuilder.<JudgeRunProgress>created(URI.create("/studies/" + studyId + "/judges/" + judgeId + "/runs/" + start.run().id()))
                                .entity(start.run()).build()
                        : RestResponse.ok(start.run()));
    }

    @GET
    @Path("{judgeId}/runs")
    public Uni<List<JudgeRunProgress>> runs(@RestPath UUID studyId, @RestPath UUID judgeId) {
        return judges.runs(studyId, judgeId);
    }

    @GET
    @Path("{judgeId}/runs/{runId}")
    public Uni<JudgeRunProgress> run(@RestPath UUID studyId, @RestPath UUID judgeId, @RestPath UUID runId) {
        return judges.run(studyId, judgeId, runId);
    }

    @DELETE
    @Path("{judgeId}/runs/{runId}")
    @RolesAllowed(Roles.RESEARCHER)
    public Uni<JudgeRunProgress> cancel(@RestPath UUID studyId, @RestPath UUID judgeId, @RestPath UUID runId) {
        return judges.cancel(studyId, judgeId, runId);
    }

    @PUT
    @Path("{judgeId}/runs/{runId}/budget")
    @RolesAllowed(Roles.RESEARCHER)
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<JudgeRunProgress> budget(@RestPath UUID studyId, @RestPath UUID judgeId, @RestPath UUID runId,
                                        @NotNull @Valid Budgets.BudgetRequest request) {
        return judges.setBudget(studyId, judgeId, runId, request.budget());
    }
}
