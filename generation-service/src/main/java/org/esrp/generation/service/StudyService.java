package org.esrp.generation.service;

import org.esrp.llm.EndpointPolicy;
import org.esrp.llm.LlmGateway;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.esrp.common.health.DatabaseTime;
import org.esrp.common.problem.ApiException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.generation.domain.Responder;
import org.esrp.generation.domain.ResponderKind;
import org.esrp.generation.domain.Scenario;
import org.esrp.generation.domain.Simulator;
import org.esrp.generation.domain.Study;
import org.esrp.generation.domain.StudyCharacter;
import org.esrp.generation.repository.ResponderRepository;
import org.esrp.generation.repository.ScenarioRepository;
import org.esrp.generation.repository.SimulatorRepository;
import org.esrp.generation.repository.StudyCharacterRepository;
import org.esrp.generation.repository.StudyRepository;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A study and its parts: characters, scenarios, responders and the user simulator. */
@ApplicationScoped
public class StudyService {

    private final StudyRepository studies;
    private final StudyCharacterRepository characters;
    private final ScenarioRepository scenarios;
    private final ResponderRepository responders;
    private final SimulatorRepository simulators;
    private final EndpointPolicy endpoints;
    private final LlmGateway gateway;

    public StudyService(StudyRepository studies, StudyCharacterRepository characters, ScenarioRepository scenarios,
                        ResponderRepository responders, SimulatorRepository simulators, EndpointPolicy endpoints,
                        LlmGateway gateway) {
        this.endpoints = endpoints;
        this.gateway = gateway;
        this.studies = studies;
        this.characters = characters;
        this.scenarios = scenarios;
        this.responders = responders;
        this.simulators = simulators;
    }

    @WithTransaction
    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<Study> createStudy(Study study) {
        return studies.findByName(study.name).flatMap(existing -> {
            if (existing != null) {
                return Uni.createFrom().failure(ApiException.conflict("name", "a study named '" + study.name + "' exists"));
            }
            study.id = UUID.randomUUID();
            study.createdAt = OffsetDateTime.now();
            return studies.persist(study);
        });
    }

    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<List<Study>> listStudies() {
        return studies.listByName();
    }

    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<Study> study(UUID id) {
        return studies.findById(id).onItem().ifNull().failWith(() -> ApiException.notFound("study", id));
    }

    @WithTransaction
    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<StudyCharacter> addCharacter(UUID studyId, StudyCharacter character) {
        return study(studyId)
                .flatMap(s -> characters.find("studyId = ?1 and label = ?2", studyId, character.label).firstResult())
                .flatMap(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().failure(ApiException.conflict("name",
                                "the study already has the character '" + character.label + "'"));
                    }
                    character.id = UUID.randomUUID();
                    character.studyId = studyId;
                    character.createdAt = OffsetDateTime.now();
                    return characters.persist(character);
                });
    }

    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<List<StudyCharacter>> listCharacters(UUID studyId) {
        return study(studyId).flatMap(s -> characters.listByStudy(studyId));
    }

    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<StudyCharacter> character(UUID studyId, UUID id) {
        return characters.findInStudy(studyId, id).onItem().ifNull().failWith(() -> ApiException.notFound("character", id));
    }

    @WithTransaction
    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<Scenario> addScenario(UUID studyId, Scenario scenario) {
        return study(studyId)
                .flatMap(s -> scenarios.find("studyId = ?1 and externalId = ?2", studyId, scenario.externalId).firstResult())
                .flatMap(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().failure(ApiException.conflict("externalId",
                                "the study already has a scenario '" + scenario.externalId + "'"));
                    }
                    scenario.id = UUID.randomUUID();
                    scenario.studyId = studyId;
                    scenario.createdAt = OffsetDateTime.now();
                    return scenarios.persist(scenario);
                });
    }

    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<List<Scenario>> listScenarios(UUID studyId) {
        return study(studyId).flatMap(s -> scenarios.listByStudy(studyId));
    }

    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<Scenario> scenario(UUID studyId, UUID id) {
        return scenarios.findInStudy(studyId, id).onItem().ifNull().failWith(() -> ApiException.notFound("scenario", id));
    }

    /** Responders may be added to a running study at any time: the next run generates their dialogues. */
    @WithTransaction
    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<Responder> addResponder(UUID studyId, Responder responder) {
        if (responder.kind == ResponderKind.LLM && (responder.llm == null || responder.llm.baseUrl == null)) {
            return Uni.createFrom().failure(ApiException.badRequest("llm", "an LLM responder needs its llm settings"));
        }
        if (responder.kind == ResponderKind.HUMAN && responder.llm != null && responder.llm.baseUrl != null) {
            return Uni.createFrom().failure(ApiException.badRequest("llm", "a HUMAN responder has no llm settings"));
        }
        if (responder.kind == ResponderKind.LLM) {
            endpoints.check(responder.llm, "llm");
        }
        return study(studyId)
                .flatMap(s -> characters.listByStudy(studyId))
                .flatMap(known -> {
                    for (UUID characterId : responder.characterIds) {
                        if (known.stream().noneMatch(c -> c.id.equals(characterId))) {
                            return Uni.createFrom().failure(ApiException.badRequest("characterIds",
                                    "character " + characterId + " is not part of this study"));
                        }
                    }
                    return responders.findByName(studyId, responder.name);
                })
                .flatMap(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().failure(ApiException.conflict("name",
                                "the study already has a responder named '" + responder.name + "'"));
                    }
                    responder.id = UUID.randomUUID();
                    responder.studyId = studyId;
                    responder.createdAt = OffsetDateTime.now();
                    return responders.persist(responder);
                })
                .invoke(saved -> gateway.prepare(saved.llm));
    }

    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<List<Responder>> listResponders(UUID studyId) {
        return study(studyId).flatMap(s -> responders.listByStudy(studyId));
    }

    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<Responder> responder(UUID studyId, UUID id) {
        return responders.findInStudy(studyId, id).onItem().ifNull().failWith(() -> ApiException.notFound("responder", id));
    }

    @WithTransaction
    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<Simulator> putSimulator(UUID studyId, Simulator simulator) {
        endpoints.check(simulator.llm, "llm");
        return study(studyId)
                .flatMap(s -> simulators.findById(studyId))
                .flatMap(existing -> {
                    Simulator target = existing != null ? existing : simulator;
                    target.studyId = studyId;
                    target.llm = simulator.llm;
                    target.prompt = simulator.prompt != null ? simulator.prompt : Prompts.DEFAULT_SIMULATOR_PROMPT;
                    target.updatedAt = OffsetDateTime.now();
                    return existing != null ? Uni.createFrom().item(target) : simulators.persist(target);
                })
                .invoke(saved -> gateway.prepare(saved.llm));
    }

    @WithSession
    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<Simulator> simulatorOrNull(UUID studyId) {
        return simulators.findById(studyId);
    }

    @WithSession
    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<Simulator> simulator(UUID studyId) {
        return study(studyId).flatMap(s -> simulators.findById(studyId))
                .onItem().ifNull().failWith(() -> ApiException.notFound("simulator of study", studyId));
    }
}
