package org.esrp.generation.rest;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import org.esrp.common.security.Roles;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.esrp.generation.service.HumanAnswerService;
import org.esrp.generation.service.HumanAnswerService.HumanDialogue;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.UUID;

/** A fan answering as a character, round by round. */
@Path("/studies/{studyId}/responders/{responderId}/dialogues/{characterId}/{scenarioId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "human answers", description = "Fans answer the scenarios as the characters they play")
@RolesAllowed(Roles.RESEARCHER)
public class HumanAnswerResource {

    private final HumanAnswerService answers;

    public HumanAnswerResource(HumanAnswerService answers) {
        this.answers = answers;
    }

    public record AnswerRequest(@NotNull @Min(1) @Max(2) Integer round, @NotBlank @Size(max = 8000) String answer) {
    }

    @GET
    public Uni<HumanDialogue> get(@RestPath UUID studyId, @RestPath UUID responderId, @RestPath UUID characterId,
                                  @RestPath UUID scenarioId) {
        return answers.get(studyId, responderId, characterId, scenarioId);
    }

    @POST
    @Path("answers")
    public Uni<RestResponse<HumanDialogue>> answer(@RestPath UUID studyId, @RestPath UUID responderId, @RestPath UUID characterId,
                                                   @RestPath UUID scenarioId, @NotNull @Valid AnswerRequest request) {
        return answers.answer(studyId, responderId, characterId, scenarioId, request.round(), request.answer())
                .map(dialogue -> RestResponse.status(RestResponse.Status.CREATED, dialogue));
    }
}
