package org.esrp.generation.service;

import org.esrp.llm.LlmGateway;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.generation.domain.DialogueContext;
import org.esrp.generation.domain.Response;
import org.esrp.generation.domain.Simulator;

import java.math.BigDecimal;
import java.util.List;

/**
 * The two rounds of one dialogue. Round 1: the system prompt casts the responder as the character, and the scenario
 * opens. Round 2: the user simulator writes the follow-up from the round-1 exchange, and the responder answers with
 * the whole two-round context. A round that is stored is never generated again. Blocking.
 */
@ApplicationScoped
public class DialogueGenerator {

    private static final java.time.Duration DB_TIMEOUT = java.time.Duration.ofSeconds(30);

    private final DialogueStore store;
    private final LlmGateway gateway;

    public DialogueGenerator(DialogueStore store, LlmGateway gateway) {
        this.store = store;
        this.gateway = gateway;
    }

    /** Generates what is missing of the dialogue; throws when a round cannot be had. */
    public void generate(java.util.UUID dialogueId) throws Throwable {
        // plain SQL on the pool: awaited here without a Vert.x context of its own (see DialogueContextRepository)
        DialogueContext context = store.load(dialogueId).await().atMost(DB_TIMEOUT);
        String system = Prompts.system(context.character());
        String question1 = context.scenario().openingMessage;

        Response round1 = context.round(1).orElse(null);
        if (round1 == null) {
            LlmGateway.Answer answer = gateway.chat(context.responder().llm,
                    List.of(SystemMessage.from(system), UserMessage.from(question1)));
            round1 = store(context, 1, question1, answer, null);
        }
        if (context.round(2).isPresent()) {
            return;
        }
        Simulator simulator = context.simulator();
        if (simulator == null) {
            throw new IllegalStateException("the study has no user simulator: PUT /studies/{id}/simulator first");
        }
        LlmGateway.Answer simulated = simulate(context, round1.userMessage, round1.answer);
        String question2 = simulated.text();
        List<ChatMessage> messages = List.of(SystemMessage.from(system), UserMessage.from(round1.userMessage),
                AiMessage.from(round1.answer), UserMessage.from(question2));
        LlmGateway.Answer answer2 = gateway.chat(context.responder().llm, messages);
        store(context, 2, question2, answer2, simulated);
    }

    /** The simulator's round-2 user message for a round-1 exchange. Blocking. */
    public String simulateFollowUp(DialogueContext context, String question, String answer) throws InterruptedException {
        return simulate(context, question, answer).text();
    }

    private LlmGateway.Answer simulate(DialogueContext context, String question, String answer) throws InterruptedException {
        Simulator simulator = context.simulator();
        String prompt = Prompts.simulator(simulator.prompt, context.character(), context.scenario(), question, answer);
        return gateway.chat(simulator.llm, List.of(UserMessage.from(prompt)));
    }

    /** Stores a round with what its calls cost: the responder's, and for round 2 the simulator's that asked it. */
    private Response store(DialogueContext context, int round, String question, LlmGateway.Answer answer,
                           LlmGateway.Answer simulated) throws Throwable {
        Response response = new Response();
        response.dialogueId = context.dialogue().id;
        response.round = (short) round;
        response.userMessage = question;
        response.answer = answer.text();
        response.latencyMs = answer.latencyMs();
        response.tokensIn = answer.tokensIn();
        response.tokensOut = answer.tokensOut();
        response.temperature = context.responder().llm.temperature;
        BigDecimal cost = context.responder().llm.cost(answer.tokensIn(), answer.tokensOut());
        if (simulated != null) {
            response.simulatorModel = context.simulator().llm.modelName;
            response.simulatorTokensIn = simulated.tokensIn();
            response.simulatorTokensOut = simulated.tokensOut();
            cost = cost.add(context.simulator().llm.cost(simulated.tokensIn(), simulated.tokensOut()));
        }
        response.cost = cost;
        return store.storeAnswer(response, context.dialogue().runId).await().atMost(DB_TIMEOUT);
    }
}
