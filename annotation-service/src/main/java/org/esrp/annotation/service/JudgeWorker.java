package org.esrp.annotation.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.ChatMessage;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.esrp.annotation.config.AnnotationConfig;
import org.esrp.annotation.domain.ItemKind;
import org.esrp.annotation.domain.Judge;
import org.esrp.annotation.domain.StudyDesign;
import org.esrp.annotation.repository.JudgeRepository;
import org.esrp.annotation.repository.JudgeRunRepository;
import org.esrp.annotation.repository.JudgeRunRepository.Claim;
import org.esrp.annotation.repository.JudgeRunRepository.Outcome;
import org.esrp.annotation.repository.TaskContentRepository;
import org.esrp.events.RubricMetric;
import org.esrp.llm.ClaimSlots;
import org.esrp.llm.LlmGateway;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * This replica's share of the running judge runs: slots of {@link ClaimSlots} over the judges' judgments. A judgment
 * asks the judge for JSON scores on the item as annotators see it; an answer that is not what was asked (not JSON, a
 * metric missing, a score off the scale) is asked for again up to esrp.annotation.judges.invalid-answer-retries times,
 * then the judgment fails with the reason. What every call cost is counted, the failed ones' too.
 */
@ApplicationScoped
@Startup
public class JudgeWorker implements ClaimSlots.Work<Claim, Outcome> {

    private final JudgeRunRepository runs;
    private final JudgeRepository judges;
    private final TaskContentRepository contents;
    private final DesignService designs;
    private final JudgePrompt prompt;
    private final LlmGateway gateway;
    private final ObjectMapper mapper;
    private final int invalidAnswerRetries;
    private final ClaimSlots<Claim, Outcome> slots;
    private final AnnotationMeters meters;

    public JudgeWorker(JudgeRunRepository runs, JudgeRepository judges, TaskContentRepository contents, DesignService designs,
                       JudgePrompt prompt, LlmGateway gateway, ObjectMapper mapper, AnnotationConfig config, AnnotationMeters meters) {
        this.meters = meters;
        this.runs = runs;
        this.judges = judges;
        this.contents = contents;
        this.designs = designs;
        this.prompt = prompt;
        this.gateway = gateway;
        this.mapper = mapper;
        AnnotationConfig.Judges settings = config.judges();
        this.invalidAnswerRetries = settings.invalidAnswerRetries();
        this.slots = new ClaimSlots<>("esrp.annotation.judges", this, settings.workers(), settings.lease(), settings.heartbeat());
    }

    /** Polls at once, off the caller's thread: a run was started here. */
    public void wake() {
        slots.wake();
    }

    @Scheduled(every = "${esrp.annotation.judges.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "1s")
    void poll() {
        slots.poll();
    }

    @Scheduled(every = "${esrp.annotation.judges.heartbeat}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        slots.heartbeat();
    }

    @Override
    public List<UUID> ownersWithWork() {
        return runs.judgesWithWork().await().atMost(ClaimSlots.dbTimeout());
    }

    @Override
    public List<Claim> claim(UUID judgeId, int limit, long leaseMillis) {
        return runs.claim(judgeId, limit, leaseMillis).await().atMost(ClaimSlots.dbTimeout());
    }

    @Override
    public Outcome perform(Claim claim) throws Throwable {
        Judge judge = judges.find(claim.judgeId()).await().atMost(ClaimSlots.dbTimeout());
        TaskContentRepository.Content item = contents.content(claim.itemId(), claim.judgeId()).await().atMost(ClaimSlots.dbTimeout());
        StudyDesign design = VertxContextSupport.subscribeAndAwait(() -> designs.current(judge.studyId));
        List<RubricMetric> rubric = designs.rubric(design, ItemKind.DIALOGUE);
        List<ChatMessage> messages = prompt.messages(rubric, item, judge.instructions);
        Spend spend = new Spend();
        String problem = null;
        for (int attempt = 0; attempt <= invalidAnswerRetries; attempt++) {
            LlmGateway.Answer answer;
            try {
                answer = gateway.chatJson(judge.llm, messages);
            } catch (RuntimeException failure) {
                // the gateway has retried what is worth retrying: the judgment fails, with what it spent so far
                return spend.failed("the call failed: " + failure.getMessage());
            }
            spend.add(judge, answer);
            try {
                Map<String, Integer> scores = prompt.scores(answer.text(), rubric);
                return spend.done(json(scores));
            } catch (JudgePrompt.InvalidAnswer invalid) {
                problem = invalid.getMessage();
            }
        }
        return spend.failed("no valid answer in " + (invalidAnswerRetries + 1) + " tries; the last: " + problem);
    }

    @Override
    public Optional<Claim> finish(Claim claim, Outcome outcome, String failure, UUID judgeId, long leaseMillis) {
        Outcome ended = failure != null ? new Outcome(null, failure, 0, 0, 0, BigDecimal.ZERO) : outcome;
        JudgeRunRepository.Ended handedOver = runs.handOver(claim, ended, judgeId, leaseMillis).await().atMost(ClaimSlots.dbTimeout());
        if (handedOver.rated()) {
            meters.accepted("LLM_JUDGE");
        }
        return handedOver.next();
    }

    @Override
    public void renew(List<Claim> held, long leaseMillis) {
        runs.renewLeases(held, leaseMillis).await().atMost(ClaimSlots.dbTimeout());
    }

    @Override
    public void completeFinished() {
        runs.completeFinishedRuns().await().atMost(ClaimSlots.dbTimeout());
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        slots.stop();
    }

    private String json(Map<String, Integer> scores) {
        try {
            return mapper.writeValueAsString(scores);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What one judgment's calls took and cost, over its tries. */
    private static final class Spend {
        long millis;
        long tokensIn;
        long tokensOut;
        BigDecimal cost = BigDecimal.ZERO;

        void add(Judge judge, LlmGateway.Answer answer) {
            millis += answer.latencyMs();
            tokensIn += answer.tokensIn() == null ? 0 : answer.tokensIn();
            tokensOut += answer.tokensOut() == null ? 0 : answer.tokensOut();
            cost = cost.add(judge.llm.cost(answer.tokensIn(), answer.tokensOut()));
        }

        Outcome done(String scores) {
            return new Outcome(scores, null, millis, tokensIn, tokensOut, cost);
        }

        Outcome failed(String reason) {
            return new Outcome(null, reason.length() > 2000 ? reason.substring(0, 2000) : reason, millis, tokensIn, tokensOut, cost);
        }
    }
}
