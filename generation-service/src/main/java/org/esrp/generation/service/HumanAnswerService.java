package org.esrp.generation.service;

import org.esrp.common.problem.ApiException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.unchecked.Unchecked;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.generation.domain.DialogueContext;
import org.esrp.generation.domain.Dialogue;
import org.esrp.generation.domain.Responder;
import org.esrp.generation.domain.ResponderKind;
import org.esrp.generation.domain.Response;
import org.esrp.generation.domain.Scenario;
import org.esrp.generation.domain.StudyCharacter;

import java.util.List;
import java.util.UUID;

/**
 * A fan's two rounds: the fan reads the scenario's opening, answers as the character, receives the round-2 question
 * the simulator writes from the fan's own round 1, and answers it. Reactive, as every request of this service: only the
 * simulator's model call blocks, and it runs on a worker thread ({@link #simulated}); generation runs its calls on the
 * slots of {@link GenerationWorker}.
 */
@ApplicationScoped
public class HumanAnswerService {

    private final StudyService studies;
    private final DialogueStore store;
    private final DialogueGenerator generator;

    public HumanAnswerService(StudyService studies, DialogueStore store, DialogueGenerator generator) {
        this.studies = studies;
        this.store = store;
        this.generator = generator;
    }

    public record Round(int round, String userMessage, String answer) {
    }

    /**
     * What the fan sees: the rounds so far and, unless done, the round to answer next and its question; the question of
     * round 2 is null while the study has no user simulator to write it.
     */
    public record HumanDialogue(UUID dialogueId, UUID characterId, String characterName, UUID scenarioId,
                                List<Round> rounds, Integer nextRound, String nextQuestion) {
    }

    public Uni<HumanDialogue> get(UUID studyId, UUID responderId, UUID characterId, UUID scenarioId) {
        return parts(studyId, responderId, characterId, scenarioId).flatMap(parts -> store.find(studyId, characterId, scenarioId, responderId)
                .flatMap(dialogue -> dialogue == null ? Uni.createFrom().item(view(parts, null))
                        : ensureQuestion(dialogue.id).map(context -> view(parts, context))));
    }

    public Uni<HumanDialogue> answer(UUID studyId, UUID responderId, UUID characterId, UUID scenarioId, int round, String text) {
        return parts(studyId, responderId, characterId, scenarioId).flatMap(parts -> store.findOrCreate(studyId, characterId, scenarioId, responderId)
                .flatMap(dialogue -> store.load(dialogue.id).flatMap(context -> {
                    int expected = context.round(1).isEmpty() ? 1 : context.round(2).isEmpty() ? 2 : 0;
                    if (round != expected) {
                        throw ApiException.conflict("round", expected == 0 ? "both rounds are answered already"
                                : "round " + expected + " is the one to answer now");
                    }
                    Response answer = new Response();
                    answer.dialogueId = dialogue.id;
                    answer.round = (short) round;
                    answer.answer = text.strip();
                    if (round == 1) {
                        answer.userMessage = parts.scenario().openingMessage;
                    } else {
                        if (dialogue.pendingQuestion == null) {
                            throw ApiException.conflict("round", "the round-2 question is not written yet: GET the dialogue first");
                        }
                        answer.userMessage = dialogue.pendingQuestion;
                        answer.simulatorModel = dialogue.pendingSimulatorModel;
                    }
                    return store.storeAnswer(answer, null)
                            .flatMap(stored -> round == 2 ? store.markDone(dialogue.id).replaceWithVoid() : Uni.createFrom().voidItem())
                            .flatMap(stored -> ensureQuestion(dialogue.id))
                            .map(updated -> view(parts, updated));
                })));
    }

    /** Writes the round-2 question once round 1 is answered, unless it exists. */
    private Uni<DialogueContext> ensureQuestion(UUID dialogueId) {
        return store.load(dialogueId).flatMap(context -> {
            Response round1 = context.round(1).orElse(null);
            if (round1 == null || context.round(2).isPresent() || context.dialogue().pendingQuestion != null
                    // Round 1 is kept and shown; round 2 waits (nextQuestion null) until the study has a simulator.
                    || context.simulator() == null) {
                return Uni.createFrom().item(context);
            }
            return simulated(context, round1)
                    .flatMap(question -> store.setPendingQuestion(dialogueId, question, context.simulator().llm.modelName))
                    .flatMap(stored -> store.load(dialogueId));
        });
    }

    /**
     * The simulator's question, asked on a worker thread (the call waits for the model, its rate and its retries), and
     * handed back to the request's Vert.x context, where the database work goes on.
     */
    private Uni<String> simulated(DialogueContext context, Response round1) {
        Context requestContext = Vertx.currentContext();
        return Uni.createFrom().item(Unchecked.supplier(() -> generator.simulateFollowUp(context, round1.userMessage, round1.answer)))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .emitOn(command -> requestContext.runOnContext(ignored -> command.run()));
    }

    private HumanDialogue view(Parts parts, DialogueContext context) {
        if (context == null) {
            return new HumanDialogue(null, parts.character().id, parts.character().label, parts.scenario().id, List.of(),
                    1, parts.scenario().openingMessage);
        }
        List<Round> rounds = context.responses().stream().map(r -> new Round(r.round, r.userMessage, r.answer)).toList();
        Integer next = context.round(1).isEmpty() ? Integer.valueOf(1) : context.round(2).isEmpty() ? Integer.valueOf(2) : null;
        String question = next == null ? null : next == 1 ? parts.scenario().openingMessage : context.dialogue().pendingQuestion;
        return new HumanDialogue(context.dialogue().id, parts.character().id, parts.character().label, parts.scenario().id,
                rounds, next, question);
    }

    private Uni<Parts> parts(UUID studyId, UUID responderId, UUID characterId, UUID scenarioId) {
        return studies.responder(studyId, responderId).flatMap(responder -> {
            if (responder.kind != ResponderKind.HUMAN) {
                throw ApiException.badRequest("responderId", "responder " + responder.name + " is an LLM; only HUMAN responders answer here");
            }
            return studies.character(studyId, characterId).flatMap(character -> {
                if (!responder.characterIds.isEmpty() && !responder.characterIds.contains(characterId)) {
                    throw ApiException.badRequest("characterId", "fan " + responder.name + " does not play " + character.label);
                }
                return studies.scenario(studyId, scenarioId).map(scenario -> new Parts(character, scenario));
            });
        });
    }

    private record Parts(StudyCharacter character, Scenario scenario) {
    }
}
