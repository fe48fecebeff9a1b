package org.esrp.generation.service;

import org.esrp.common.problem.ApiException;
import io.quarkus.vertx.VertxContextSupport;
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
 * the simulator writes from the fan's own round 1, and answers it. Blocking (the simulator is an LLM call).
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

    public HumanDialogue get(UUID studyId, UUID responderId, UUID characterId, UUID scenarioId) throws Throwable {
        Parts parts = parts(studyId, responderId, characterId, scenarioId);
        Dialogue dialogue = VertxContextSupport.subscribeAndAwait(() -> store.find(studyId, characterId, scenarioId, responderId));
        return view(parts, dialogue == null ? null : ensureQuestion(dialogue.id));
    }

    public HumanDialogue answer(UUID studyId, UUID responderId, UUID characterId, UUID scenarioId, int round, String text)
            throws Throwable {
        Parts parts = parts(studyId, responderId, characterId, scenarioId);
        Dialogue dialogue = VertxContextSupport.subscribeAndAwait(() -> store.findOrCreate(studyId, characterId, scenarioId, responderId));
        DialogueContext context = VertxContextSupport.subscribeAndAwait(() -> store.load(dialogue.id));
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
        VertxContextSupport.subscribeAndAwait(() -> store.storeAnswer(answer, null));
        if (round == 2) {
            VertxContextSupport.subscribeAndAwait(() -> store.markDone(dialogue.id));
        }
        return view(parts, ensureQuestion(dialogue.id));
    }

    /** Writes the round-2 question once round 1 is answered, unless it exists. */
    private DialogueContext ensureQuestion(UUID dialogueId) throws Throwable {
        DialogueContext context = VertxContextSupport.subscribeAndAwait(() -> store.load(dialogueId));
        Response round1 = context.round(1).orElse(null);
        if (round1 == null || context.round(2).isPresent() || context.dialogue().pendingQuestion != null) {
            return context;
        }
        if (context.simulator() == null) {
            // Round 1 is kept and shown; round 2 waits (nextQuestion null) until the study has a simulator.
            return context;
        }
        String question = generator.simulateFollowUp(context, round1.userMessage, round1.answer);
        VertxContextSupport.subscribeAndAwait(() -> store.setPendingQuestion(dialogueId, question, context.simulator().llm.modelName));
        return VertxContextSupport.subscribeAndAwait(() -> store.load(dialogueId));
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

    private Parts parts(UUID studyId, UUID responderId, UUID characterId, UUID scenarioId) throws Throwable {
        Responder responder = VertxContextSupport.subscribeAndAwait(() -> studies.responder(studyId, responderId));
        if (responder.kind != ResponderKind.HUMAN) {
            throw ApiException.badRequest("responderId", "responder " + responder.name + " is an LLM; only HUMAN responders answer here");
        }
        StudyCharacter character = VertxContextSupport.subscribeAndAwait(() -> studies.character(studyId, characterId));
        if (!responder.characterIds.isEmpty() && !responder.characterIds.contains(characterId)) {
            throw ApiException.badRequest("characterId", "fan " + responder.name + " does not play " + character.label);
        }
        Scenario scenario = VertxContextSupport.subscribeAndAwait(() -> studies.scenario(studyId, scenarioId));
        return new Parts(character, scenario);
    }

    private record Parts(StudyCharacter character, Scenario scenario) {
    }
}
