package org.esrp.annotation.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.esrp.annotation.domain.Judge;
import org.esrp.annotation.domain.JudgeRun;
import org.esrp.annotation.repository.JudgeRepository;
import org.esrp.annotation.repository.JudgeRunRepository;
import org.esrp.common.health.DatabaseTime;
import org.esrp.common.problem.ApiException;
import org.esrp.llm.Budgets;
import org.esrp.llm.EndpointPolicy;
import org.esrp.llm.LlmGateway;
import org.esrp.llm.RunPace;
import org.esrp.llm.RunStart;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A study's LLM judges and their runs. */
@ApplicationScoped
public class JudgeService {

    private final JudgeRepository judges;
    private final JudgeRunRepository runs;
    private final DesignService designs;
    private final EndpointPolicy endpoints;
    private final LlmGateway gateway;
    private final JudgeWorker worker;

    public JudgeService(JudgeRepository judges, JudgeRunRepository runs, DesignService designs, EndpointPolicy endpoints, JudgeWorker worker,
                        LlmGateway gateway) {
        this.gateway = gateway;
        this.judges = judges;
        this.runs = runs;
        this.designs = designs;
        this.endpoints = endpoints;
        this.worker = worker;
    }

    /** Progress of a judge run and its spend, as generation shows its runs'. */
    public record JudgeRunProgress(UUID id, UUID judgeId, UUID studyId, JudgeRun.Status status, int total, int done, int failed,
                                   int remaining, Long etaSeconds, OffsetDateTime createdAt, OffsetDateTime finishedAt, long tokensIn,
                                   long tokensOut, BigDecimal cost, BigDecimal projectedCost, BigDecimal budget) {

        static JudgeRunProgress of(JudgeRun run) {
            int finished = run.done + run.failed;
            int remaining = Math.max(0, run.total - finished);
            return new JudgeRunProgress(run.id, run.judgeId, run.studyId, run.status, run.total, run.done, run.failed, remaining,
                    RunPace.etaSeconds(run.createdAt, finished, remaining, run.status == JudgeRun.Status.RUNNING), run.createdAt,
                    run.finishedAt, run.tokensIn, run.tokensOut, run.cost.stripTrailingZeros(),
                    Budgets.projected(run.cost, finished, run.total), run.budget);
        }
    }

    /** Adds a judge to a study this service knows; its endpoint must pass the operator's policy. */
    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<Judge> create(UUID studyId, Judge judge) {
        endpoints.check(judge.llm, "llm");
        judge.id = UUID.randomUUID();
        judge.studyId = studyId;
        return Panache.withSession(() -> designs.known(studyId)).flatMap(known -> judges.create(judge))
                .invoke(created -> gateway.prepare(created.llm));
    }

    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<List<Judge>> list(UUID studyId) {
        return judges.list(studyId);
    }

    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<Judge> judge(UUID studyId, UUID judgeId) {
        return judges.find(studyId, judgeId).map(judge -> {
            if (judge == null) {
                throw ApiException.notFound("judge", judgeId);
            }
            return judge;
        });
    }

    /**
     * Starts a run of the judge over the items it has not rated; while one of its runs is going on, returns that one
     * (see RunStart). Its time limit grows with what it writes: one row per DIALOGUE item of the study.
     */
    @Timeout(DatabaseTime.BULK_LIMIT_MS)
    public Uni<RunStart<JudgeRunProgress>> start(UUID studyId, UUID judgeId, BigDecimal budget) {
        return judge(studyId, judgeId)
                .flatMap(judge -> runs.start(studyId, judgeId, budget))
                .map(started -> started.sameBudgetAs(budget, run -> run.budget,
                        "/studies/" + studyId + "/judges/" + judgeId + "/runs/" + started.run().id + "/budget"))
                // this replica starts judging now rather than at its next poll; the others at theirs
                .invoke(started -> worker.wake())
                .map(started -> started.map(JudgeRunProgress::of));
    }

    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<List<JudgeRunProgress>> runs(UUID studyId, UUID judgeId) {
        return judge(studyId, judgeId).flatMap(judge -> runs.list(studyId, judgeId))
                .map(list -> list.stream().map(JudgeRunProgress::of).toList());
    }

    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<JudgeRunProgress> run(UUID studyId, UUID judgeId, UUID runId) {
        return runs.find(studyId, judgeId, runId).map(run -> progress(run, runId));
    }

    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<JudgeRunProgress> cancel(UUID studyId, UUID judgeId, UUID runId) {
        return runs.cancel(studyId, judgeId, runId).flatMap(run -> run != null ? Uni.createFrom().item(JudgeRunProgress.of(run))
                : ended(studyId, judgeId, runId));
    }

    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<JudgeRunProgress> setBudget(UUID studyId, UUID judgeId, UUID runId, BigDecimal budget) {
        return runs.setBudget(studyId, judgeId, runId, budget)
                .invoke(run -> worker.wake())
                .flatMap(run -> run != null ? Uni.createFrom().item(JudgeRunProgress.of(run)) : ended(studyId, judgeId, runId));
    }

    // 404 for a run that does not exist, 409 for one that has ended
    private Uni<JudgeRunProgress> ended(UUID studyId, UUID judgeId, UUID runId) {
        return runs.find(studyId, judgeId, runId).map(run -> {
            progress(run, runId);
            throw ApiException.conflict("runId", "the run has ended (" + run.status + ")");
        });
    }

    private static JudgeRunProgress progress(JudgeRun run, UUID runId) {
        if (run == null) {
            throw ApiException.notFound("judge run", runId);
        }
        return JudgeRunProgress.of(run);
    }
}
