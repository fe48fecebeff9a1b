package org.esrp.generation.service;

import org.eclipse.microprofile.faulttolerance.Timeout;
import org.esrp.common.health.DatabaseTime;
import org.esrp.common.problem.ApiException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.generation.domain.Run;
import org.esrp.generation.domain.RunStatus;
import org.esrp.generation.repository.RunRepository;
import org.esrp.generation.repository.SimulatorRepository;

import java.time.Duration;
import org.esrp.llm.Budgets;
import org.esrp.llm.RunPace;
import org.esrp.llm.RunStart;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Starting, watching and cancelling runs; the workers of every replica do the generating. */
@ApplicationScoped
public class RunService {

    private final StudyService studies;
    private final SimulatorRepository simulators;
    private final RunRepository runs;
    private final GenerationWorker worker;

    public RunService(StudyService studies, SimulatorRepository simulators, RunRepository runs, GenerationWorker worker) {
        this.studies = studies;
        this.simulators = simulators;
        this.runs = runs;
        this.worker = worker;
    }

    /**
     * Progress of a run, and its spend: the tokens and cost of every answer it generated (at the prices in its
     * models' settings), the total that cost projects to at the average per finished dialogue so far, and its budget.
     * ETA from the pace so far, null until something finished.
     */
    public record RunProgress(UUID id, UUID studyId, RunStatus status, int total, int done, int failed, int remaining,
                              Long etaSeconds, OffsetDateTime createdAt, OffsetDateTime finishedAt, long tokensIn,
                              long tokensOut, BigDecimal cost, BigDecimal projectedCost, BigDecimal budget) {

        static RunProgress of(Run run) {
            int finished = run.done + run.failed;
            int remaining = Math.max(0, run.total - finished);
            Long eta = RunPace.etaSeconds(run.createdAt, finished, remaining, run.status == RunStatus.RUNNING);
            BigDecimal projected = Budgets.projected(run.cost, finished, run.total);
            return new RunProgress(run.id, run.studyId, run.status, run.total, run.done, run.failed, remaining, eta,
                    run.createdAt, run.finishedAt, run.tokensIn, run.tokensOut, run.cost.stripTrailingZeros(), projected, run.budget);
        }
    }

    /**
     * Queues every LLM dialogue that is missing or failed; what exists is never generated again. While the study has an
     * active run, a start returns that run instead (see RunStart). Its time limit grows with what it writes: one row
     * per dialogue of the study.
     */
    @Timeout(DatabaseTime.BULK_LIMIT_MS)
    public Uni<RunStart<RunProgress>> start(UUID studyId, BigDecimal budget) {
        return studies.study(studyId)
                .flatMap(study -> studies.simulatorOrNull(studyId))
                .flatMap(simulator -> simulator == null
                        ? Uni.createFrom().failure(ApiException.conflict("simulator",
                                "the study has no user simulator yet: PUT /studies/" + studyId + "/simulator first"))
                        : runs.start(studyId, budget))
                .map(started -> started.sameBudgetAs(budget, run -> run.budget,
                        "/studies/" + studyId + "/runs/" + started.run().id + "/budget"))
                // this replica starts generating now rather than at its next poll; the others at theirs
                .invoke(worker::wake)
                .map(started -> started.map(RunProgress::of));
    }

    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<RunProgress> progress(UUID studyId, UUID runId) {
        return runs.find(studyId, runId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("run", runId))
                .map(RunProgress::of);
    }

    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<List<RunProgress>> list(UUID studyId) {
        return studies.study(studyId).flatMap(s -> runs.listByStudy(studyId))
                .map(list -> list.stream().map(RunProgress::of).toList());
    }

    /** A new budget for a run going on; one stopped by its budget resumes if the new one allows. */
    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<RunProgress> setBudget(UUID studyId, UUID runId, BigDecimal budget) {
        return progress(studyId, runId)
                .flatMap(found -> runs.setBudget(studyId, runId, budget))
                .onItem().ifNull().failWith(() -> ApiException.conflict("budget", "the run has ended: start a new one"))
                .invoke(worker::wake)
                .map(RunProgress::of);
    }

    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<RunProgress> cancel(UUID studyId, UUID runId) {
        return progress(studyId, runId).flatMap(found -> runs.cancel(studyId, runId)).map(RunProgress::of);
    }

    /** Progress once a second until the run ends, the last event included. */
    public Multi<RunProgress> events(UUID studyId, UUID runId) {
        return progress(studyId, runId).toMulti().concatMap(first -> first.status() != RunStatus.RUNNING
                ? Multi.createFrom().item(first)
                : Multi.createBy().repeating().uni(() -> progress(studyId, runId))
                        .withDelay(Duration.ofSeconds(1))
                        .whilst(p -> p.status() == RunStatus.RUNNING));
    }
}
