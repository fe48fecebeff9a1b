package org.esrp.llm;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import org.esrp.common.problem.ApiException;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** What a run of LLM calls (a generation run, a judge run) may spend, in the currency of its models' prices. */
public final class Budgets {

    private Budgets() {
    }

    /** A budget set on a running run; null: no limit. */
    public record BudgetRequest(@DecimalMin("0.0") @Digits(integer = 10, fraction = 4) BigDecimal budget) {
    }

    /** A budget given as a query parameter; null when absent. */
    public static BigDecimal parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            BigDecimal budget = new BigDecimal(value.strip());
            if (budget.signum() < 0 || budget.scale() > 4 || budget.precision() - budget.scale() > 10) {
                throw new NumberFormatException();
            }
            return budget;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("budget", "must be a non-negative amount with at most 4 decimals");
        }
    }

    /** What {@code total} units cost at the average of the {@code finished} ones so far; null before any finished. */
    public static BigDecimal projected(BigDecimal cost, int finished, int total) {
        return finished == 0 ? null : cost.multiply(BigDecimal.valueOf(total))
                .divide(BigDecimal.valueOf(finished), 10, RoundingMode.HALF_UP).stripTrailingZeros();
    }
}
