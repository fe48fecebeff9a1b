package org.esrp.annotation.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Multi;
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
import org.esrp.annotation.repository.TaskQueue;
import org.esrp.annotation.repository.TaskRepository;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Hands each annotator the next item of the study's queue (see {@link TaskQueue}): one it has not rated, of a character
 * it knows (when the design matches), never beyond k, never its own answers as a fan; gold items are mixed in at the
 * design's share. The item is leased; an expired lease frees it.
 */
@ApplicationScoped
public class TaskService {

    /** The most leases one annotator holds at once in a study (an offline front end rates them and sends a batch). */
    public static final int MAX_LEASES = 100;

    private static final String ELIGIBLE = """
            FROM item i
            WHERE i.study_id = :study AND i.gold = :gold
              AND (:match = false OR i.character_id IN (SELECT character_id FROM annotator_character WHERE annotator_id = :annotator))
              AND (i.responder_id IS NULL OR i.responder_id NOT IN (SELECT responder_id FROM annotator_responder WHERE annotator_id = :annotator))
              AND NOT EXISTS (SELECT 1 FROM rating r WHERE r.item_id = i.id AND r.annotator_id = :annotator)
            """;

    private final TaskRepository tasks;
    private final TaskQueue queue;
    private final ItemRepository items;
    private final AnswerRepository answers;
    private final DesignService designs;
    private final ObjectMapper mapper;
    private final Random random = new SecureRandom();

    public TaskService(TaskRepository tasks, TaskQueue queue, ItemRepository items, AnswerRepository answers,
                       DesignService designs, ObjectMapper mapper) {
        this.tasks = tasks;
        this.queue = queue;
        this.items = items;
        this.answers = answers;
        this.designs = designs;
        this.mapper = mapper;
    }

    /** The annotator's current task in the study (the same one until submitted or expired), or null when none is left. */
    @WithSession
    public Uni<TaskView> next(Annotator annotator, UUID studyId) {
        return designs.design(studyId).flatMap(design -> tasks.findActive(annotator.id, studyId)
                .flatMap(active -> active != null ? Uni.createFrom().item(active) : lease(annotator, design))
                .flatMap(task -> task == null ? Uni.createFrom().nullItem() : view(task, annotator, design)));
    }

    /**
     * Up to {@code count} tasks at once for front ends that rate offline: the annotator's live leases in the study,
     * topped up with new ones; fewer when the study has no more for this annotator.
     */
    @WithSession
    public Uni<List<TaskView>> leases(Annotator annotator, UUID studyId, int count) {
        if (count < 1 || count > MAX_LEASES) {
            return Uni.createFrom().failure(ApiException.badRequest("count", "must be between 1 and " + MAX_LEASES));
        }
        return designs.design(studyId).flatMap(design -> tasks.listActive(annotator.id, studyId)
                .flatMap(active -> topUp(annotator, design, new ArrayList<>(active.subList(0, Math.min(count, active.size()))), count))
                .flatMap(leased -> leased.isEmpty() ? Uni.createFrom().item(List.<TaskView>of())
                        : Multi.createFrom().iterable(leased).onItem().transformToUniAndConcatenate(task -> view(task, annotator, design))
                        .collect().asList()));
    }

    private Uni<List<Task>> topUp(Annotator annotator, StudyDesign design, List<Task> leased, int count) {
        if (leased.size() >= count) {
            return Uni.createFrom().item(leased);
        }
        return lease(annotator, design).flatMap(task -> {
            if (task == null) {
                return Uni.createFrom().item(leased);
            }
            leased.add(task);
            return topUp(annotator, design, leased, count);
        });
    }

    @WithSession
    public Uni<TaskView.Progress> progress(Annotator annotator, UUID studyId) {
        return designs.design(studyId).flatMap(design -> progress(annotator, design));
    }

    private Uni<Task> lease(Annotator annotator, StudyDesign design) {
        return claim(annotator, design)
                // Nothing free: leases that expired since the last reaping may free something.
                .flatMap(task -> task != null ? Uni.createFrom().item(task)
                        : queue.reapExpired().flatMap(reaped -> reaped > 0 ? claim(annotator, design) : Uni.createFrom().nullItem()));
    }

    private Uni<Task> claim(Annotator annotator, StudyDesign design) {
        boolean goldFirst = design.goldShare > 0 && random.nextDouble() < design.goldShare;
        return claim(annotator, design, goldFirst)
                // Either kind stands in when the other has nothing left for this annotator (gold only where the design uses it).
                .flatMap(task -> task != null || (!goldFirst && design.goldShare == 0) ? Uni.createFrom().item(task)
                        : claim(annotator, design, !goldFirst));
    }

    private Uni<Task> claim(Annotator annotator, StudyDesign design, boolean gold) {
        return queue.claim(design.studyId, gold, design.matchCharacters, annotator.id, design.leaseSeconds);
    }

    private Uni<TaskView.Progress> progress(Annotator annotator, StudyDesign design) {
        String remaining = "SELECT count(*) " + ELIGIBLE + " AND i.ratings < :k";
        return done(annotator, design).flatMap(done -> Panache.getSession().flatMap(session -> session
                .createNativeQuery(remaining, Long.class)
                .setParameter("study", design.studyId).setParameter("gold", false)
                .setParameter("match", design.matchCharacters).setParameter("annotator", annotator.id)
                .setParameter("k", design.ratersPerItem)
                .getSingleResult()
                .map(left -> new TaskView.Progress(done, left))));
    }

    private Uni<Long> done(Annotator annotator, StudyDesign design) {
        return Panache.getSession().flatMap(session -> session
                .createNativeQuery("SELECT count(*) FROM rating WHERE annotator_id = :annotator AND study_id = :study", Long.class)
                .setParameter("annotator", annotator.id).setParameter("study", design.studyId)
                .getSingleResult());
    }

    private Uni<TaskView> view(Task task, Annotator annotator, StudyDesign design) {
        return items.findById(task.itemId).flatMap(item -> content(item, task)
                // What is left to rate counts the study's items: the front end asks for it apart (GET /annotators/me/progress).
                .flatMap(texts -> done(annotator, design).map(done -> new TaskView(task.id, item.kind, task.expiresAt,
                        new TaskView.Character(item.characterName),
                        item.kind == ItemKind.DIALOGUE ? new TaskView.Scenario(item.persona, item.emotion) : null,
                        item.kind == ItemKind.DIALOGUE ? texts.rounds() : List.of(),
                        item.kind == ItemKind.DIVERSITY ? texts.answers() : List.of(),
                        designs.rubric(design, item.kind), new TaskView.Progress(done, null)))));
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
