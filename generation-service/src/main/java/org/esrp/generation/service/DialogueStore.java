package org.esrp.generation.service;

import org.esrp.common.problem.ApiException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.generation.domain.Dialogue;
import org.esrp.generation.domain.DialogueStatus;
import org.esrp.generation.domain.Response;
import org.esrp.generation.repository.DialogueRepository;
import org.esrp.generation.repository.ResponderRepository;
import org.esrp.generation.repository.ResponseRepository;
import org.esrp.generation.repository.ScenarioRepository;
import org.esrp.generation.repository.SimulatorRepository;
import org.esrp.generation.repository.StudyCharacterRepository;

import java.time.OffsetDateTime;
import java.util.UUID;

/** Loads and stores dialogues and their answers for the generation workers and the fans' answers. */
@ApplicationScoped
public class DialogueStore {

    private final DialogueRepository dialogues;
    private final StudyCharacterRepository characters;
    private final ScenarioRepository scenarios;
    private final ResponderRepository responders;
    private final SimulatorRepository simulators;
    private final ResponseRepository responses;

    public DialogueStore(DialogueRepository dialogues, StudyCharacterRepository characters, ScenarioRepository scenarios,
                         ResponderRepository responders, SimulatorRepository simulators, ResponseRepository responses) {
        this.dialogues = dialogues;
        this.characters = characters;
        this.scenarios = scenarios;
        this.responders = responders;
        this.simulators = simulators;
        this.responses = responses;
    }

    @WithSession
    public Uni<DialogueContext> load(UUID dialogueId) {
        return dialogues.findById(dialogueId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("dialogue", dialogueId))
                .flatMap(d -> characters.findById(d.characterId)
                        .flatMap(c -> scenarios.findById(d.scenarioId)
                                .flatMap(s -> responders.findById(d.responderId)
                                        .flatMap(p -> simulators.findById(d.studyId)
                                                .flatMap(sim -> responses.listByDialogue(d.id)
                                                        .map(rs -> new DialogueContext(d, c, s, p, sim, rs)))))));
    }

    @WithSession
    public Uni<Dialogue> find(UUID studyId, UUID characterId, UUID scenarioId, UUID responderId) {
        return dialogues.findOne(studyId, characterId, scenarioId, responderId);
    }

    /** Stores one round's answer unless that round has one; returns the stored answer either way. */
    @WithTransaction
    public Uni<Response> storeAnswer(Response answer) {
        return responses.find("dialogueId = ?1 and round = ?2", answer.dialogueId, answer.round).firstResult()
                .flatMap(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().item(existing);
                    }
                    answer.id = UUID.randomUUID();
                    answer.createdAt = OffsetDateTime.now();
                    return responses.persist(answer);
                });
    }

    /** The fan's dialogue, created on the first answer; unique per (study, character, scenario, responder). */
    @WithTransaction
    public Uni<Dialogue> findOrCreate(UUID studyId, UUID characterId, UUID scenarioId, UUID responderId) {
        return dialogues.findOne(studyId, characterId, scenarioId, responderId).flatMap(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(existing);
            }
            Dialogue dialogue = new Dialogue();
            dialogue.id = UUID.randomUUID();
            dialogue.studyId = studyId;
            dialogue.characterId = characterId;
            dialogue.scenarioId = scenarioId;
            dialogue.responderId = responderId;
            dialogue.status = DialogueStatus.PENDING;
            dialogue.createdAt = OffsetDateTime.now();
            dialogue.updatedAt = dialogue.createdAt;
            return dialogues.persist(dialogue);
        });
    }

    @WithTransaction
    public Uni<Dialogue> setPendingQuestion(UUID dialogueId, String question, String simulatorModel) {
        return dialogues.findById(dialogueId).invoke(d -> {
            d.pendingQuestion = question;
            d.pendingSimulatorModel = simulatorModel;
            d.updatedAt = OffsetDateTime.now();
        });
    }

    @WithTransaction
    public Uni<Dialogue> markDone(UUID dialogueId) {
        return dialogues.findById(dialogueId).invoke(d -> {
            d.status = DialogueStatus.DONE;
            d.pendingQuestion = null;
            d.updatedAt = OffsetDateTime.now();
        });
    }
}
