package org.esrp.metrics.rest;

import org.esrp.metrics.domain.Adjusted;
import org.esrp.metrics.domain.Comparisons;
import org.esrp.metrics.domain.Estimate;
import org.esrp.metrics.domain.Leaderboard;
import org.esrp.metrics.service.AgreementService.Agreement;
import org.esrp.metrics.service.DiversityService.Diversity;
import org.esrp.metrics.service.JudgeAgreementService.JudgeAgreement;
import org.esrp.metrics.service.RaterService.Rater;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The analysts' CSV variants: long format (one row per responder and score), ready for R, pandas or a pivot table. */
final class Csv {

    private Csv() {
    }

    static String leaderboard(Leaderboard board) {
        StringBuilder csv = new StringBuilder("group,rank,responderId,responderName,kind,modelName,fans,dialogues,ratings,pairsWithHumans,"
                + "score,mean,low,high,n\n");
        for (Leaderboard.Group group : board.groups()) {
            for (Leaderboard.Row row : group.rows()) {
                Map<String, Estimate> scores = new java.util.LinkedHashMap<>(row.metrics());
                scores.putAll(row.dimensions());
                scores.put("overall", row.overall());
                scores.forEach((score, e) -> line(csv, group.value(), row.rank(), row.responderId(), row.responderName(), row.kind(),
                        row.modelName(), row.fans(), row.dialogues(), row.ratings(), row.pairsWithHumans(), score, e.mean(), e.low(),
                        e.high(), e.n()));
            }
        }
        return csv.toString();
    }

    static String baseline(Leaderboard board) {
        StringBuilder csv = new StringBuilder("responderId,responderName,score,pairs,meanDifference,low,high,pValue,pHolm,method\n");
        if (board.humanBaseline() != null) {
            for (Leaderboard.Comparison c : board.humanBaseline().rows()) {
                line(csv, c.responderId(), c.responderName(), c.score(), c.pairs(), c.meanDifference(), c.low(), c.high(), c.pValue(),
                        c.pHolm(), c.method());
            }
        }
        return csv.toString();
    }

    /** The responders (kind "responder": mean, interval, ranks) and the pairs (kind "pair": a - b), one row each. */
    static String comparisons(Comparisons comparisons) {
        StringBuilder csv = new StringBuilder("row,score,a,aName,b,bName,n,estimate,low,high,rank,rankLow,rankHigh,pValue,pHolm,method,"
                + "resamples,seed\n");
        Comparisons.Bootstrap b = comparisons.bootstrap();
        comparisons.responders().forEach(r -> line(csv, "responder", comparisons.score(), r.key(), r.responderName(), null, null,
                r.dialogues(), r.mean(), r.low(), r.high(), r.rank(), r.rankLow(), r.rankHigh(), null, null, null, b.resamples(), b.seed()));
        comparisons.pairs().forEach(p -> line(csv, "pair", comparisons.score(), p.a(), p.aName(), p.b(), p.bName(), p.sharedPairs(),
                p.meanDifference(), p.low(), p.high(), null, null, null, p.pValue(), p.pHolm(), p.method(), b.resamples(), b.seed()));
        return csv.toString();
    }

    /** One row per responder: raw and adjusted means, the model's variance components repeated on each row. */
    static String adjusted(Adjusted adjusted) {
        StringBuilder csv = new StringBuilder("score,quality,key,responderName,kind,ratings,rawMean,adjustedMean,low,high,rank,"
                + "raterVariance,characterVariance,scenarioVariance,residualVariance,observations\n");
        Adjusted.Variances v = adjusted.variances();
        adjusted.responders().forEach(r -> line(csv, adjusted.score(), adjusted.quality(), r.key(), r.responderName(), r.kind(), r.ratings(),
                r.rawMean(), r.adjustedMean(), r.low(), r.high(), r.rank(), v.rater(), v.character(), v.scenario(), v.residual(),
                adjusted.observations()));
        return csv.toString();
    }

    static String agreement(List<Agreement> rows) {
        StringBuilder csv = new StringBuilder("metric,ordinal,interval,nominal,items,pairableValues\n");
        rows.forEach(a -> line(csv, a.metric(), a.ordinal(), a.interval(), a.nominal(), a.items(), a.pairableValues()));
        return csv.toString();
    }

    /** One row per judge and metric, as the JSON. */
    static String judgeAgreement(List<JudgeAgreement> rows) {
        StringBuilder csv = new StringBuilder("judgeId,judgeModel,metric,items,alphaHumansOrdinal,alphaWithJudgeOrdinal,"
                + "alphaHumansInterval,alphaWithJudgeInterval,spearman,spearmanP,responders,kendallTau\n");
        rows.forEach(j -> line(csv, j.judgeId(), j.judgeModel(), j.metric(), j.items(), j.alphaHumansOrdinal(), j.alphaWithJudgeOrdinal(),
                j.alphaHumansInterval(), j.alphaWithJudgeInterval(), j.spearman(), j.spearmanP(), j.responders(), j.kendallTau()));
        return csv.toString();
    }

    static String raters(List<Rater> rows) {
        StringBuilder csv = new StringBuilder("annotatorId,raterKind,ratings,dialogueRatings,meanScore,severity,correlation,tooFastRate,"
                + "straightLiningRate,goldRated,goldPassRate,excluded\n");
        rows.forEach(r -> line(csv, r.annotatorId(), r.raterKind(), r.ratings(), r.dialogueRatings(), r.meanScore(), r.severity(),
                r.correlation(), r.tooFastRate(), r.straightLiningRate(), r.goldRated(), r.goldPassRate(), String.join(" ", r.excluded())));
        return csv.toString();
    }

    static String diversity(List<Diversity> rows) {
        StringBuilder csv = new StringBuilder("responderId,responderName,kind,distinct1,distinct2,distinct1LengthControlled,"
                + "distinct2LengthControlled,selfBleu,embeddingDispersion,humanDiversityMean,humanDiversityLow,humanDiversityHigh,humanDiversityN\n");
        rows.forEach(d -> line(csv, d.responderId(), d.responderName(), d.kind(), d.distinct1(), d.distinct2(),
                d.distinct1LengthControlled(), d.distinct2LengthControlled(), d.selfBleu(),
                d.embeddingDispersion(), d.humanDiversityRating().mean(), d.humanDiversityRating().low(),
                d.humanDiversityRating().high(), d.humanDiversityRating().n()));
        return csv.toString();
    }

    private static void line(StringBuilder csv, Object... cells) {
        csv.append(Stream.of(cells).map(Csv::cell).collect(Collectors.joining(","))).append('\n');
    }

    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        return text.contains(",") || text.contains("\"") || text.contains("\n") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }
}
