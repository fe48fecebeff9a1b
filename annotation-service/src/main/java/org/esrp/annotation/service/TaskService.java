package org.esrp.annotation.service;

import org.eclipse.microprofile.faulttolerance.Timeout;
import org.esrp.common.health.DatabaseTime;
import org.esrp.common.problem.ApiException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.domain.Annotator;
import org.esrp.annotation.domain.ItemKind;
import org.esrp.annotation.domain.StudyDesign;
import org.esrp.annotation.repository.ItemRepository;
import org.esrp.annotation.repository.TaskContentRepository;
import org.esrp.annotation.repository.TaskQueue;
import org.esrp.annotation.repository.TaskQueue.Lease;

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

    private final TaskQueue queue;
    private final TaskContentRepository contents;
    private final ItemRepository items;
    private final DesignService designs;
    private final ObjectMapper mapper;
    private final Random random = new SecureRandom();

    public TaskService(TaskQueue queue, TaskContentRepository contents, ItemRepository items, DesignService designs,
                       ObjectMapper mapper) {
        this.queue = queue;
        this.contents = contents;
        this.items = items;
        this.designs = designs;
        this.mapper = mapper;
    }

    /** The annotator's current task in the study (the same one until submitted or expired), or null when none is left. */
    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<TaskView> next(Annotator annotator, UUID studyId) {
        return designs.current(studyId).flatMap(design -> lease(annotator, design, true)
                .flatMap(lease -> lease == null ? Uni.createFrom().nullItem() : view(lease, annotator, design)));
    }

    /**
     * Up to {@code count} tasks at once for front ends that rate offline: the annotator's live leases in the study,
     * topped up with new ones; fewer when the study has no more for this annotator.
     */
    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<List<TaskView>> leases(Annotator annotator, UUID studyId, int count) {
        if (count < 1 || count > MAX_LEASES) {
            return Uni.createFrom().failure(ApiException.badRequest("count", "must be between 1 and " + MAX_LEASES));
        }
        return designs.current(studyId).flatMap(design -> queue.active(annotator.id, studyId, count)
                .flatMap(active -> topUp(annotator, design, new ArrayList<>(active), count))
                .flatMap(leased -> Multi.createFrom().iterable(leased)
                        .onItem().transformToUniAndConcatenate(lease -> view(lease, annotator, design)).collect().asList()));
    }

    private Uni<List<Lease>> topUp(Annotator annotator, StudyDesign design, List<Lease> leased, int count) {
        if (leased.size() >= count) {
            return Uni.createFrom().item(leased);
        }
        return lease(annotator, design, false).flatMap(lease -> {
            if (lease == null) {
                return Uni.createFrom().item(leased);
            }
            leased.add(lease);
            return topUp(annotator, design, leased, count);
        });
    }

    /** What the annotator did and may still be handed in the study; the second counts the study's items. */
    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<TaskView.Progress> progress(Annotator annotator, UUID studyId) {
        return designs.current(studyId).flatMap(design -> contents.done(annotator.id, studyId)
                .flatMap(done -> Panache.withSession(() -> items.countRateable(studyId, annotator.id, design.matchCharacters,
                        design.ratersPerItem)).map(left -> new TaskView.Progress(done, left))));
    }

    /** The live lease it resumes (when {@code resume}), else a new one. */
    private Uni<Lease> lease(Annotator annotator, StudyDesign design, boolean resume) {
        return claim(annotator, design, resume)
                // Nothing free: leases that expired since the last reaping may free something.
                .flatMap(lease -> lease != null ? Uni.createFrom().item(lease)
                        : queue.reapExpired().flatMap(reaped -> reaped > 0 ? claim(annotator, design, resume) : Uni.createFrom().nullItem()));
    }

    private Uni<Lease> claim(Annotator annotator, StudyDesign design, boolean resume) {
        boolean goldFirst = design.goldShare > 0 && random.nextDouble() < design.goldShare;
        return claim(annotator, design, goldFirst, resume)
                // Either kind stands in when the other has nothing left for this annotator (gold only where the design uses it).
                .flatMap(lease -> lease != null || (!goldFirst && design.goldShare == 0) ? Uni.createFrom().item(lease)
                        : claim(annotator, design, !goldFirst, false));
    }

    private Uni<Lease> claim(Annotator annotator, StudyDesign design, boolean gold, boolean resume) {
        return queue.next(design.studyId, gold, design.matchCharacters, annotator.id, design.leaseSeconds, resume);
    }

    private Uni<TaskView> view(Lease lease, Annotator annotator, StudyDesign design) {
        return contents.content(lease.itemId(), annotator.id).map(content -> {
            ItemKind kind = ItemKind.valueOf(content.kind());
            boolean dialogue = kind == ItemKind.DIALOGUE;
            return new TaskView(lease.taskId(), kind, lease.expiresAt(),
                    new TaskView.Character(content.characterName()),
                    dialogue ? new TaskView.Scenario(content.persona(), content.emotion()) : null,
                    dialogue ? rounds(content) : List.of(),
                    dialogue ? List.of() : answers(content, lease.shuffleSeed()),
                    designs.rubric(design, kind),
                    // What is left to rate counts the study's items: the front end asks for it apart (GET /annotators/me/progress).
                    new TaskView.Progress(content.done(), null));
        });
    }

    private List<TaskView.Round> rounds(TaskContentRepository.Content content) {
        if (content.gold()) {
            return readRounds(content.goldContent());
        }
        return content.texts().stream().map(t -> new TaskView.Round(t.round(), t.userMessage(), t.answer())).toList();
    }

    private static List<TaskView.Text> answers(TaskContentRepository.Content content, long shuffleSeed) {
        List<TaskView.Text> texts = new ArrayList<>(content.texts().stream().map(t -> new TaskView.Text(t.userMessage(), t.answer())).toList());
        // Each annotator sees the set in an order of its own, so position says nothing.
        Collections.shuffle(texts, new Random(shuffleSeed));
        return texts;
    }

    private List<TaskView.Round> readRounds(String json) {
        try {
            return mapper.readValue(json, new TypeReference<List<TaskView.Round>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable gold item", e);
        }
    }
}
