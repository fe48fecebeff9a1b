package org.esrp.generation.rest;

import jakarta.annotation.security.RolesAllowed;
import org.esrp.common.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.esrp.generation.domain.Responder;
import org.esrp.generation.domain.Scenario;
import org.esrp.generation.domain.Simulator;
import org.esrp.generation.domain.Study;
import org.esrp.generation.domain.StudyCharacter;
import org.esrp.generation.rest.StudyRequests.CharacterRequest;
import org.esrp.generation.rest.StudyRequests.ResponderRequest;
import org.esrp.generation.rest.StudyRequests.ScenarioRequest;
import org.esrp.generation.rest.StudyRequests.SimulatorRequest;
import org.esrp.generation.rest.StudyRequests.StudyRequest;
import org.esrp.generation.service.StudyService;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.util.List;
import java.util.UUID;

@Path("/studies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "studies", description = "Studies, their characters, scenarios, responders and user simulator")
@RolesAllowed(Roles.ANALYST)
public class StudyResource {

    private final StudyService studies;

    public StudyResource(StudyService studies) {
        this.studies = studies;
    }

    @POST
    @RolesAllowed(Roles.RESEARCHER)
    public Uni<RestResponse<Study>> create(@NotNull @Valid StudyRequest request) {
        return studies.createStudy(request.toStudy()).map(s -> created("/studies/" + s.id, s));
    }

    @GET
    public Uni<List<Study>> list() {
        return studies.listStudies();
    }

    @GET
    @Path("{studyId}")
    public Uni<Study> get(@RestPath UUID studyId) {
        return studies.study(studyId);
    }

    @POST
    @RolesAllowed(Roles.RESEARCHER)
    @Path("{studyId}/characters")
    public Uni<RestResponse<StudyCharacter>> addCharacter(@RestPath UUID studyId, @NotNull @Valid CharacterRequest request) {
        return studies.addCharacter(studyId, request.toCharacter())
                .map(c -> created("/studies/" + studyId + "/characters/" + c.id, c));
    }

    @GET
    @Path("{studyId}/characters")
    public Uni<List<StudyCharacter>> characters(@RestPath UUID studyId) {
        return studies.listCharacters(studyId);
    }

    @GET
    @Path("{studyId}/characters/{characterId}")
    public Uni<StudyCharacter> character(@RestPath UUID studyId, @RestPath UUID characterId) {
        return studies.study(studyId).flatMap(s -> studies.character(studyId, characterId));
    }

    @POST
    @RolesAllowed(Roles.RESEARCHER)
    @Path("{studyId}/scenarios")
    public Uni<RestResponse<Scenario>> addScenario(@RestPath UUID studyId, @NotNull @Valid ScenarioRequest request) {
        return studies.addScenario(studyId, request.toScenario())
                .map(s -> created("/studies/" + studyId + "/scenarios/" + s.id, s));
    }

    @GET
    @Path("{studyId}/scenarios")
    public Uni<List<Scenario>> scenarios(@RestPath UUID studyId) {
        return studies.listScenarios(studyId);
    }

    @GET
    @Path("{studyId}/scenarios/{scenarioId}")
    public Uni<Scenario> scenario(@RestPath UUID studyId, @RestPath UUID scenarioId) {
        return studies.study(studyId).flatMap(s -> studies.scenario(studyId, scenarioId));
    }

    @POST
    @RolesAllowed(Roles.RESEARCHER)
    @Path("{studyId}/responders")
    public Uni<RestResponse<Responder>> addResponder(@RestPath UUID studyId, @NotNull @Valid ResponderRequest request) {
        return studies.addResponder(studyId, request.toResponder())
                .map(r -> created("/studies/" + studyId + "/responders/" + r.id, r));
    }

    @GET
    @Path("{studyId}/responders")
    public Uni<List<Responder>> responders(@RestPath UUID studyId) {
        return studies.listResponders(studyId);
    }

    @GET
    @Path("{studyId}/responders/{responderId}")
    public Uni<Responder> responder(@RestPath UUID studyId, @RestPath UUID responderId) {
        return studies.study(studyId).flatMap(s -> studies.responder(studyId, responderId));
    }

    @PUT
    @RolesAllowed(Roles.RESEARCHER)
    @Path("{studyId}/simulator")
    public Uni<Simulator> putSimulator(@RestPath UUID studyId, @NotNull @Valid SimulatorRequest request) {
        return studies.putSimulator(studyId, request.toSimulator());
    }

    @GET
    @Path("{studyId}/simulator")
    public Uni<Simulator> simulator(@RestPath UUID studyId) {
        return studies.simulator(studyId);
    }

    static <T> RestResponse<T> created(String location, T entity) {
        return RestResponse.ResponseBuilder.<T>created(URI.create(location)).entity(entity).build();
    }
}
