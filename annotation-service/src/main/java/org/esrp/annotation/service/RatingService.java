package org.esrp.annotation.service;

import org.eclipse.microprofile.faulttolerance.Timeout;
import org.esrp.common.health.DatabaseTime;
import org.esrp.common.messaging.TraceParents;
import org.esrp.common.problem.ApiException;
import org.esrp.common.security.Tokens;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.esrp.annotation.domain.Annotator;
import org.esrp.annotation.domain.ItemKind;
import org.esrp.events.RubricMetric;
import org.esrp.annotation.domain.StudyDesign;
import org.esrp.annotation.domain.Task;
import org.esrp.annotation.repository.SubmissionRepository;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Accepts a rating once per Idempotency-Key: the rating, its task's end, the item's count and the outbox entry are
 * one transaction (see SubmissionRepository). Flags (too fast, straight-lined) travel with the rating; they never drop it.
 */
@ApplicationScoped
public class RatingService {

    public static final String TOO_FAST = "TOO_FAST";
    public static final String STRAIGHT_LINED = "STRAIGHT_LINED";

    private final SubmissionRepository submissions;
    private final DesignService designs;
    private final ObjectMapper mapper;
    private final Validator validator;

    private final AnnotationMeters meters;

    public RatingService(SubmissionRepository submissions, DesignService designs, ObjectMapper mapper, Validator validator,
                         AnnotationMeters meters) {
        this.meters = meters;
        this.validator = validator;
        this.submissions = submissions;
        this.designs = designs;
        this.mapper = mapper;
    }

    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<Submitted> submit(Annotator annotator, UUID taskId, String idempotencyKey, RatingRequest request) {
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 200) {
            return Uni.createFrom().failure(ApiException.badRequest("Idempotency-Key", "send an Idempotency-Key header (at most 200 characters)"));
        }
        return accept(annotator, taskId, idempotencyKey, request)
                // The same key sent twice at once: the loser of the unique-key race, asking again, finds the winner's rating
                // under its key (or the task rated, when the winner came with another key).
                .onFailure(RatingService::isUniqueViolation).recoverWithUni(() -> accept(annotator, taskId, idempotencyKey, request))
                .invoke(submitted -> {
                    if (submitted.created()) {
                        meters.accepted("HUMAN");
                    }
                })
                .onFailure(ApiException.class).invoke(e -> meters.refused(((ApiException) e).status()));
    }

    /** Each entry in its own transaction, one after the other: a refused entry changes nothing and stops no other. */
    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<List<RatingBatch.Outcome>> submitAll(Annotator annotator, RatingBatch batch) {
        return Multi.createFrom().iterable(batch.ratings()).onItem().transformToUniAndConcatenate(entry -> {
                    Set<ConstraintViolation<RatingRequest>> violations = validator.validate(entry.request());
                    if (!violations.isEmpty()) {
                        ConstraintViolation<RatingRequest> first = violations.iterator().next();
                        return Uni.createFrom().item(new RatingBatch.Outcome(entry, null,
                                ApiException.badRequest(first.getPropertyPath().toString(), first.getMessage())));
                    }
                    return taskId(entry.taskId())
                            .flatMap(taskId -> submit(annotator, taskId, entry.idempotencyKey(), entry.request()))
                            .map(submitted -> new RatingBatch.Outcome(entry, submitted, null))
                            .onFailure(ApiException.class).recoverWithItem(e -> new RatingBatch.Outcome(entry, null, (ApiException) e));
                })
                .collect().asList();
    }

    private static Uni<UUID> taskId(String taskId) {
        try {
            return Uni.createFrom().item(UUID.fromString(String.valueOf(taskId)));
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(ApiException.badRequest("taskId", "must be the id of a leased task"));
        }
    }

    /** {@code created} is false when the key was seen before and the stored rating is returned. */
    public record Submitted(RatingView rating, boolean created) {
    }

    Uni<Submitted> accept(Annotator annotator, UUID taskId, String key, RatingRequest request) {
        String requestHash = requestHash(taskId, request);
        return submissions.read(taskId, annotator.id, key).flatMap(submission -> {
            if (submission.seen() != null) {
                return Uni.createFrom().item(sameKey(submission.seen(), taskId, requestHash));
            }
            if (submission.taskId() == null) {
                return Uni.createFrom().failure(ApiException.notFound("task " + taskId + " does not exist"));
            }
            if (!submission.annotatorId().equals(annotator.id)) {
                return Uni.createFrom().failure(new ApiException(403, null, "this task belongs to another annotator"));
            }
            if (Task.SUBMITTED.equals(submission.status())) {
                return Uni.createFrom().failure(new ApiException(409, null, "this task is rated already"));
            }
            if (Task.EXPIRED.equals(submission.status()) || submission.expiresAt().isBefore(OffsetDateTime.now())) {
                return Uni.createFrom().failure(expired());
            }
            return designs.current(submission.studyId()).flatMap(design -> store(annotator, submission, design, key, requestHash, request));
        });
    }

    /** Payment APIs' rule: a key names one request; sent again it gets the first answer, reused for another it is refused. */
    private Submitted sameKey(SubmissionRepository.Seen seen, UUID taskId, String requestHash) {
        if (!seen.taskId().equals(taskId) || (seen.requestHash() != null && !seen.requestHash().equals(requestHash))) {
            throw new ApiException(422, "Idempotency-Key", "this Idempotency-Key was used for another request; send a new key");
        }
        return new Submitted(new RatingView(seen.ratingId(), seen.taskId(), read(seen.flags(), new TypeReference<List<String>>() { }),
                seen.createdAt()), false);
    }

    /** What identifies a rating request: its task and body, scores in key order. */
    static String requestHash(UUID taskId, RatingRequest request) {
        Map<String, String> scores = new TreeMap<>();
        if (request.scores() != null && request.scores().isObject()) {
            request.scores().fields().forEachRemaining(e -> scores.put(e.getKey(), e.getValue().toString()));
        } else {
            scores.put("", String.valueOf(request.scores()));
        }
        return Tokens.hash(taskId + "\n" + scores + "\n" + request.comment() + "\n" + request.durationMs());
    }

    private Uni<Submitted> store(Annotator annotator, SubmissionRepository.Submission task, StudyDesign design, String key,
                                 String requestHash, RatingRequest request) {
        ItemKind kind = ItemKind.valueOf(task.kind());
        List<RubricMetric> rubric = designs.rubric(design, kind);
        Map<String, Integer> scores = validate(request.scores(), rubric);
        OffsetDateTime now = OffsetDateTime.now();
        long durationMs = request.durationMs() != null ? request.durationMs() : Duration.between(task.leasedAt(), now).toMillis();
        List<String> flags = new ArrayList<>();
        if (durationMs < design.minSeconds * 1000L) {
            flags.add(TOO_FAST);
        }
        if (scores.size() > 1 && scores.values().stream().distinct().count() == 1) {
            flags.add(STRAIGHT_LINED);
        }
        UUID ratingId = UUID.randomUUID();
        return submissions.store(new SubmissionRepository.NewRating(ratingId, task.taskId(), now, annotator.id, key, requestHash,
                        write(scores), request.comment(), durationMs, write(flags), task.gold(),
                        task.gold() ? goldPassed(task.goldExpected(), scores) : null, TraceParents.current()))
                .map(stored -> {
                    if (!stored) {
                        throw expired();
                    }
                    return new Submitted(new RatingView(ratingId, task.taskId(), flags, now), true);
                });
    }

    private static ApiException expired() {
        return new ApiException(409, null, "the lease of this task expired; fetch the next task");
    }

    /** Every metric of the rubric, each an integer within its scale, and nothing else. */
    static Map<String, Integer> validate(JsonNode scores, List<RubricMetric> rubric) {
        if (scores == null || !scores.isObject()) {
            throw ApiException.badRequest("scores", "expected an object of scores by metric");
        }
        Map<String, Integer> valid = new LinkedHashMap<>();
        for (RubricMetric metric : rubric) {
            JsonNode score = scores.get(metric.key());
            String field = "scores." + metric.key();
            if (score == null || score.isNull()) {
                throw ApiException.badRequest(field, "missing score for " + metric.name());
            }
            if (!score.isIntegralNumber()) {
                throw ApiException.badRequest(field, "must be an integer");
            }
            int value = score.asInt();
            if (!score.canConvertToInt() || value < metric.min() || value > metric.max()) {
                throw ApiException.badRequest(field, "must be between " + metric.min() + " and " + metric.max());
            }
            valid.put(metric.key(), value);
        }
        for (Iterator<String> names = scores.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!valid.containsKey(name)) {
                throw ApiException.badRequest("scores." + name, "not a metric of this task's rubric");
            }
        }
        return valid;
    }

    private boolean goldPassed(String expectedJson, Map<String, Integer> scores) {
        Map<String, List<Integer>> expected = read(expectedJson, new TypeReference<>() { });
        return expected.entrySet().stream().allMatch(e -> {
            Integer score = scores.get(e.getKey());
            return score != null && score >= e.getValue().get(0) && score <= e.getValue().get(1);
        });
    }

    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("23505") || message.contains("duplicate key")) {
                return true;
            }
        }
        return false;
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String json, TypeReference<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
