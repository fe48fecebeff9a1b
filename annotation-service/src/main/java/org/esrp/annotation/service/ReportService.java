package org.esrp.annotation.service;

import org.eclipse.microprofile.faulttolerance.Timeout;
import org.esrp.common.health.DatabaseTime;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.events.RatingEvent;
import org.esrp.annotation.repository.RatingRecordRepository;
import org.esrp.annotation.repository.RatingRecordRepository.Cursor;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/** What the admin watches: progress, each annotator's quality, and the exports (streamed page by page). */
@ApplicationScoped
public class ReportService {

    static final int PAGE = 1000;

    private final Pool pool;
    private final DesignService designs;
    private final RatingRecordRepository records;

    public ReportService(Pool pool, DesignService designs, RatingRecordRepository records) {
        this.pool = pool;
        this.designs = designs;
        this.records = records;
    }

    public record AnnotatorCount(UUID annotatorId, String displayName, long ratings) {
    }

    public record Progress(UUID studyId, int ratersPerItem, long items, long dialogueItems, long diversityItems,
                           long fullyRated, long ratings, long ratingsMissing, List<AnnotatorCount> perAnnotator,
                           Long etaSeconds) {
    }

    public record Quality(UUID annotatorId, String displayName, long ratings, long tooFast, long straightLined,
                          long goldRated, long goldPassed, Double goldPassRate) {
    }

    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<Progress> progress(UUID studyId) {
        return io.quarkus.hibernate.reactive.panache.Panache.withSession(() -> designs.known(studyId)).flatMap(design -> pool.preparedQuery("""
                        SELECT count(*) FILTER (WHERE NOT gold) AS items,
                               count(*) FILTER (WHERE NOT gold AND kind = 'DIALOGUE') AS dialogue_items,
                               count(*) FILTER (WHERE NOT gold AND kind = 'DIVERSITY') AS diversity_items,
                               count(*) FILTER (WHERE NOT gold AND ratings >= $2) AS fully_rated,
                               coalesce(sum(greatest($2 - ratings, 0)) FILTER (WHERE NOT gold), 0) AS missing
                        FROM item WHERE study_id = $1""")
                .execute(Tuple.of(studyId, design.ratersPerItem))
                .flatMap(totals -> pool.preparedQuery("""
                                SELECT a.id, a.display_name, count(*) AS ratings, min(r.created_at) AS first, max(r.created_at) AS last
                                FROM rating r JOIN annotator a ON a.id = r.annotator_id
                                WHERE r.study_id = $1 AND a.kind = 'HUMAN' GROUP BY a.id, a.display_name ORDER BY a.display_name, a.id""")
                        .execute(Tuple.of(studyId))
                        .map(rows -> {
                            Row t = totals.iterator().next();
                            List<AnnotatorCount> per = new ArrayList<>();
                            OffsetDateTime first = null;
                            OffsetDateTime last = null;
                            long ratings = 0;
                            for (Row row : rows) {
                                per.add(new AnnotatorCount(row.getUUID("id"), row.getString("display_name"), row.getLong("ratings")));
                                ratings += row.getLong("ratings");
                                first = first == null || row.getOffsetDateTime("first").isBefore(first) ? row.getOffsetDateTime("first") : first;
                                last = last == null || row.getOffsetDateTime("last").isAfter(last) ? row.getOffsetDateTime("last") : last;
                            }
                            long missing = t.getLong("missing");
                            Long eta = null;
                            if (missing == 0) {
                                eta = 0L;
                            } else if (ratings > 1 && first != null && last.isAfter(first)) {
                                double perSecond = (ratings - 1) / (Duration.between(first, last).toMillis() / 1000.0);
                                eta = Math.round(missing / perSecond);
                            }
                            return new Progress(studyId, design.ratersPerItem, t.getLong("items"), t.getLong("dialogue_items"),
                                    t.getLong("diversity_items"), t.getLong("fully_rated"), ratings, missing, per, eta);
                        })));
    }

    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<List<Quality>> quality(UUID studyId) {
        return pool.preparedQuery("""
                        SELECT a.id, a.display_name, count(*) AS ratings,
                               count(*) FILTER (WHERE r.flags LIKE '%TOO_FAST%') AS too_fast,
                               count(*) FILTER (WHERE r.flags LIKE '%STRAIGHT_LINED%') AS straight_lined,
                               count(*) FILTER (WHERE r.gold) AS gold_rated,
                               count(*) FILTER (WHERE r.gold_passed) AS gold_passed
                        FROM rating r JOIN annotator a ON a.id = r.annotator_id
                        WHERE r.study_id = $1 AND a.kind = 'HUMAN' GROUP BY a.id, a.display_name ORDER BY a.display_name, a.id""")
                .execute(Tuple.of(studyId))
                .map(rows -> {
                    List<Quality> list = new ArrayList<>();
                    for (Row row : rows) {
                        long goldRated = row.getLong("gold_rated");
                        long goldPassed = row.getLong("gold_passed");
                        list.add(new Quality(row.getUUID("id"), row.getString("display_name"), row.getLong("ratings"),
                                row.getLong("too_fast"), row.getLong("straight_lined"), goldRated, goldPassed,
                                goldRated == 0 ? null : goldPassed / (double) goldRated));
                    }
                    return list;
                });
    }

    /** Every rating of the study, one page of the database at a time, so memory stays flat however many there are. */
    public Multi<RatingEvent> ratings(UUID studyId) {
        AtomicReference<Cursor> cursor = new AtomicReference<>(Cursor.START);
        return Multi.createBy().repeating()
                .uni(() -> records.page(studyId, cursor.get(), PAGE)
                        .invoke(page -> {
                            if (!page.isEmpty()) {
                                RatingEvent last = page.get(page.size() - 1);
                                cursor.set(new Cursor(last.createdAt(), last.ratingId()));
                            }
                        }))
                .whilst(page -> page.size() == PAGE)
                .onItem().transformToIterable(page -> page);
    }

    public static final List<String> CSV_COLUMNS = List.of("ratingId", "studyId", "itemKind", "itemId", "dialogueId",
            "responseIds", "responderId", "responderKind", "modelName", "characterId", "characterName", "scenarioId",
            "annotatorId", "raterKind", "raterModel", "metric", "score", "durationMs", "flags", "gold", "goldPassed", "comment", "createdAt");

    /** Long format, one row per (rating, metric): loads directly into R, pandas or a spreadsheet pivot. */
    public Multi<String> csv(UUID studyId) {
        return Multi.createBy().concatenating().streams(
                Multi.createFrom().item(String.join(",", CSV_COLUMNS) + "\n"),
                ratings(studyId).map(r -> r.scores().entrySet().stream().map(score -> String.join(",",
                        cell(r.ratingId()), cell(r.studyId()), cell(r.itemKind()), cell(r.itemId()), cell(r.dialogueId()),
                        cell(r.responseIds().stream().map(UUID::toString).collect(Collectors.joining(" "))),
                        cell(r.responderId()), cell(r.responderKind()), cell(r.modelName()), cell(r.characterId()),
                        cell(r.characterName()), cell(r.scenarioId()), cell(r.annotatorId()), cell(r.raterKind()), cell(r.raterModel()),
                        cell(score.getKey()), cell(score.getValue()), cell(r.durationMs()), cell(String.join(" ", r.flags())),
                        cell(r.gold()), cell(r.goldPassed()), cell(r.comment()), cell(r.createdAt())) + "\n")
                        .collect(Collectors.joining())));
    }

    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
