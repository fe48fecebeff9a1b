package org.esrp.generation.service;

import org.esrp.common.problem.ApiException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.generation.domain.DialogueContext;
import org.esrp.generation.domain.Dialogue;
import org.esrp.generation.domain.DialogueStatus;
import org.esrp.generation.domain.Response;
import org.esrp.generation.repository.DialogueContextRepository;
import org.esrp.generation.repository.DialogueRepository;

import java.time.OffsetDateTime;
import java.util.UUID;

/** Loads and stores dialogues and their answers for the generation workers and the fans' answers. */
@ApplicationScoped
public class DialogueStore {

    private final DialogueRepository dialogues;
    private final DialogueContextRepository contexts;

    public DialogueStore(DialogueRepository dialogues, DialogueContextRepository contexts) {
        this.dialogues = dialogues;
        this.contexts = contexts;
    }

    public Uni<DialogueContext> load(UUID dialogueId) {
        return contexts.load(dialogueId).onItem().ifNull().failWith(() -> ApiException.notFound("dialogue", dialogueId));
    }

    @WithSession
    public Uni<Dialogue> find(UUID studyId, UUID characterId, UUID scenarioId, UUID responderId) {
        return dialogues.findOne(studyId, characterId, scenarioId, responderId);
    }

    /** Stores one round's answer unless that round has one, counting it in the run's spend; returns the stored answer. */
    public Uni<Response> storeAnswer(Response answer, UUID runId) {
        return contexts.storeAnswer(answer, runId);
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
