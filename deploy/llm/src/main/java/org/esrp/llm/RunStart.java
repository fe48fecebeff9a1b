package org.esrp.llm;

import org.esrp.common.problem.ApiException;

import java.math.BigDecimal;
import java.util.function.Function;

/**
 * What a request to start a run of LLM calls (a generation run, a judge run) did: started one, or found the active run
 * that a second one would have duplicated. A start sent again while its run is active returns that run (200), so that a
 * retry after a lost answer or a time-out never makes a second run.
 */
public record RunStart<R>(R run, boolean created) {

    /**
     * Refuses a repeated start that asks for another budget than the active run's: that is a change of the active run's
     * budget, made with a PUT on {@code budgetPath}.
     */
    public RunStart<R> sameBudgetAs(BigDecimal asked, Function<R, BigDecimal> budgetOf, String budgetPath) {
        BigDecimal active = budgetOf.apply(run);
        if (created || asked == null || (active != null && asked.compareTo(active) == 0)) {
            return this;
        }
        throw ApiException.conflict("budget", "a run is active with " + (active == null ? "no budget" : "budget " + active.toPlainString())
                + ": PUT " + budgetPath + " to change it");
    }

    public <T> RunStart<T> map(Function<R, T> mapper) {
        return new RunStart<>(mapper.apply(run), created);
    }
}
