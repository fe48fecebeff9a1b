package org.esrp.annotation.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.domain.Annotator;
import org.esrp.annotation.domain.Answer;
import org.esrp.annotation.domain.Item;
import org.esrp.annotation.domain.ItemKind;
import org.esrp.annotation.domain.StudyDesign;
import org.esrp.annotation.domain.Task;
import org.esrp.annotation.repository.AnswerRepository;
import org.esrp.annotation.repository.ItemRepository;
import org.esrp.annotation.repository.TaskRepository;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Hands each annotator the next item: one it has not rated, of a character it knows (when the design matches), with
 * the fewest ratings plus live leases, never beyond k, never its own answers as a fan; gold items are mixed in at
 * the design's share. The item is leased; an expired lease frees it.
 */
@ApplicationScoped
public class TaskService {

    // Live leases count towards k, so that k annotators at once never make a k+1-th rating.
    private static final String LIVE_LEASES =
            "(SELECT count(*) FROM task l WHERE l.item_id = i.id AND l.status = 'LEASED' AND l.expires_at > now())";

    private static final String ELIGIBLE = """
            FROM item i
            WHERE i.study_id = :study AND i.gold = :gold
              AND (:match = false OR i.character_id IN (SELECT character_id FROM annotator_character WHERE annotator_id = :annotator))
              AND (i.responder_id IS NULL OR i.responder_id NOT IN (SELECT responder_id FROM annotator_responder WHERE annotator_id = :annotator))
              AND NOT EXISTS (SELECT 1 FROM rating r WHERE r.item_id = i.id AND r.annotator_id = :annotator)
            """;

    private final TaskRepository tasks;
    private final ItemRepository items;
    private final AnswerRepository answers;
    private final DesignService designs;
    private final ObjectMapper mapper;
    private final Random random = new SecureRandom();

    public TaskService(TaskRepository tasks, ItemRepository items, AnswerRepository answers, DesignService designs,
                       ObjectMapper mapper) {
        this.tasks = tasks;
        this.items = items;
        this.answers = answers;
        this.designs = designs;
        this.mapper = mapper;
    }

    /** The annotator's current task in the study (the same one until submitted or expired), or null when none is left. */
    @WithTransaction
    public Uni<TaskView> next(Annotator annotator, UUID studyId) {
        return designs.design(studyId).flatMap(design -> tasks.findActive(annotator.id, studyId)
                .flatMap(active -> active != null ? Uni.createFrom().item(active) : lease(annotator, design))
                .flatMap(task -> task == null ? Uni.createFrom().nullItem() : view(task, annotator, design)));
    }

    @WithSession
    public Uni<TaskView.Progress> progress(Annotator annotator, UUID studyId) {
        return designs.design(studyId).flatMap(design -> progress(annotator, design));
    }

    private Uni<Task> lease(Annotator annotator, StudyDesign design) {
        boolean goldFirst = design.goldShare > 0 && random.nextDouble() < design.goldShare;
        return claim(annotator, design, goldFirst)
                // Either kind stands in when the other has nothing left for this annotator (gold only where the design uses it).
                .flatMap(item -> item != null || (!goldFirst && design.goldShare == 0) ? Uni.createFrom().item(item)
                        : claim(annotator, design, !goldFirst))
                .flatMap(item -> {
                    if (item == null) {
                        return Uni.createFrom().nullItem();
                    }
                    Task task = new Task();
                    task.id = UUID.randomUUID();
                    task.itemId = item.id;
                    task.annotatorId = annotator.id;
                    task.status = Task.LEASED;
                    task.leasedAt = OffsetDateTime.now();
                    task.expiresAt = task.leasedAt.plusSeconds(design.leaseSeconds);
                    task.shuffleSeed = random.nextLong();
                    return tasks.persist(task);
                });
    }

    /** Locks the best eligible item; replicas and concurrent annotators skip each other's locked rows. */
    private Uni<Item> claim(Annotator annotator, StudyDesign design, boolean gold) {
        // Gold items are not capped at k: each annotator's pass rate needs them.
        String cap = gold ? "" : " AND i.ratings + " + LIVE_LEASES + " < :k";
        String sql = "SELECT i.* " + ELIGIBLE + cap + """
                 AND NOT EXISTS (SELECT 1 FROM task t WHERE t.item_id = i.id AND t.annotator_id = :annotator AND t.status = 'LEASED' AND t.expires_at > now())
                ORDER BY i.ratings + %s, i.created_at, i.id
                LIMIT 1
                FOR UPDATE OF i SKIP LOCKED""".formatted(LIVE_LEASES);
        return Panache.getSession().flatMap(session -> {
            var query = session.createNativeQuery(sql, Item.class)
                    .setParameter("study", design.studyId)
                    .setParameter("gold", gold)
                    .setParameter("match", design.matchCharacters)
                    .setParameter("annotator", annotator.id);
            if (!gold) {
                query.setParameter("k", design.ratersPerItem);
            }
            return query.getResultList();
        }).map(found -> found.isEmpty() ? null : found.get(0));
    }

    private Uni<TaskView.Progress> progress(Annotator annotator, StudyDesign design) {
        String remaining = "SELECT count(*) " + ELIGIBLE + " AND i.ratings < :k";
        return Panache.getSession().flatMap(session -> session
                .createNativeQuery("SELECT count(*) FROM rating WHERE annotator_id = :annotator AND study_id = :study", Long.class)
                .setParameter("annotator", annotator.id).setParameter("study", design.studyId)
                .getSingleResult()
                .flatMap(done -> session.createNativeQuery(remaining, Long.class)
                        .setParameter("study", design.studyId).setParameter("gold", false)
                        .setParameter("match", design.matchCharacters).setParameter("annotator", annotator.id)
                        .setParameter("k", design.ratersPerItem)
                        .getSingleResult()
                        .map(left -> new TaskView.Progress(done, left))));
    }

    private Uni<TaskView> view(Task task, Annotator annotator, StudyDesign design) {
        return items.findById(task.itemId).flatMap(item -> content(item, task)
                .flatMap(texts -> progress(annotator, design).map(progress -> new TaskView(task.id, item.kind, task.expiresAt,
                        new TaskView.Character(item.characterName),
                        item.kind == ItemKind.DIALOGUE ? new TaskView.Scenario(item.persona, item.emotion) : null,
                        item.kind == ItemKind.DIALOGUE ? texts.rounds() : List.of(),
                        item.kind == ItemKind.DIVERSITY ? texts.answers() : List.of(),
                        designs.rubric(design, item.kind), progress))));
    }

    private record Texts(List<TaskView.Round> rounds, List<TaskView.Text> answers) {
    }

    private Uni<Texts> content(Item item, Task task) {
        if (item.gold) {
            return Uni.createFrom().item(new Texts(readRounds(item.goldContent), List.of()));
        }
        if (item.kind == ItemKind.DIALOGUE) {
            return answers.listByDialogue(item.dialogueId).map(rounds -> new Texts(
                    rounds.stream().map(a -> new TaskView.Round(a.round, a.userMessage, a.answer)).toList(), List.of()));
        }
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "SELECT a.* FROM answer a JOIN item_answer ia ON ia.response_id = a.response_id WHERE ia.item_id = :item ORDER BY ia.position",
                        Answer.class).setParameter("item", item.id).getResultList())
                .map(set -> {
                    List<TaskView.Text> texts = new ArrayList<>(set.stream().map(a -> new TaskView.Text(a.userMessage, a.answer)).toList());
                    // Each annotator sees the set in an order of its own, so position says nothing.
                    Collections.shuffle(texts, new Random(task.shuffleSeed));
                    return new Texts(List.of(), texts);
                });
    }

    private List<TaskView.Round> readRounds(String json) {
        try {
            return mapper.readValue(json, new TypeReference<List<TaskView.Round>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable gold item", e);
        }
    }
}
