package org.esrp.annotation.service;

import org.eclipse.microprofile.faulttolerance.Timeout;
import org.esrp.common.health.DatabaseTime;
import org.esrp.common.problem.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.config.AnnotationConfig;
import org.esrp.annotation.domain.ItemKind;
import org.esrp.annotation.domain.StudyDesign;
import org.esrp.annotation.repository.ItemRepository;
import org.esrp.annotation.repository.StudyDesignRepository;
import org.esrp.events.Rubric;
import org.esrp.events.RubricMetric;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A study's annotation design, and the rubric its items are rated on. */
@ApplicationScoped
public class DesignService {

    private final StudyDesignRepository designs;
    private final ItemRepository items;
    private final long ttlNanos;
    private final Map<UUID, Cached> recent = new ConcurrentHashMap<>();

    public DesignService(StudyDesignRepository designs, ItemRepository items, AnnotationConfig config) {
        this.designs = designs;
        this.items = items;
        this.ttlNanos = config.designCache().toNanos();
    }

    /** The stored design, or the defaults while none is set. */
    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<StudyDesign> design(UUID studyId) {
        return designs.findById(studyId).map(found -> found != null ? found : StudyDesign.defaults(studyId));
    }

    /**
     * As {@link #design}, for a study this service knows: one with a design, or with answers that arrived from
     * generation-service. Any other id is a 404, so that nothing (tasks, gold, reports) is served for a study nobody has.
     */
    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<StudyDesign> known(UUID studyId) {
        return designs.findById(studyId).flatMap(found -> found != null ? Uni.createFrom().item(found)
                : items.anyIn(studyId).map(any -> {
                    if (!any) {
                        throw ApiException.notFound("study " + studyId + " is unknown here: it has no design and none of its answers has arrived");
                    }
                    return StudyDesign.defaults(studyId);
                }));
    }

    /**
     * The design as every task hand-out and rating reads it: kept for a short while (esrp.annotation.design-cache), so
     * that a crowd does not read the same row twice per task. A change made here is seen at once; one made through
     * another replica within that while. What must be exact under concurrency (k) lives on the items, not here.
     * Treat it as read-only.
     */
    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<StudyDesign> current(UUID studyId) {
        Cached cached = recent.get(studyId);
        if (cached != null && cached.until() - System.nanoTime() > 0) {
            return Uni.createFrom().item(cached.design());
        }
        return Panache.withSession(() -> known(studyId)).invoke(design -> {
            if (recent.size() > 10_000) {
                recent.clear();
            }
            recent.put(studyId, new Cached(design, System.nanoTime() + ttlNanos));
        });
    }

    private record Cached(StudyDesign design, long until) {
    }

    /** Stores the design; its esrp.designs record goes out through the outbox once this commits. */
    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<StudyDesign> put(StudyDesign design, List<RubricMetric> rubric) {
        // Forgotten once committed: forgetting it earlier would let a read in between keep the old design.
        return write(design, rubric).invoke(stored -> recent.remove(design.studyId));
    }

    @WithTransaction
    Uni<StudyDesign> write(StudyDesign design, List<RubricMetric> rubric) {
        design.rubric = rubric;
        design.updatedAt = OffsetDateTime.now();
        design.publishedAt = null;
        return designs.findById(design.studyId).flatMap(existing -> {
            int k = existing != null ? existing.ratersPerItem : StudyDesign.defaults(design.studyId).ratersPerItem;
            return items.moveSlots(design.studyId, design.ratersPerItem - k).flatMap(moved -> store(existing, design));
        });
    }

    private Uni<StudyDesign> store(StudyDesign existing, StudyDesign design) {
        if (existing == null) {
            return designs.persist(design);
        }
        existing.ratersPerItem = design.ratersPerItem;
        existing.matchCharacters = design.matchCharacters;
        existing.goldShare = design.goldShare;
        existing.minSeconds = design.minSeconds;
        existing.leaseSeconds = design.leaseSeconds;
        existing.diversitySetSize = design.diversitySetSize;
        existing.rubric = design.rubric;
        existing.quality = design.quality;
        existing.updatedAt = design.updatedAt;
        existing.publishedAt = null;
        return Uni.createFrom().item(existing);
    }

    /** The metrics an item of this kind is rated on in this design. */
    public List<RubricMetric> rubric(StudyDesign design, ItemKind kind) {
        if (kind == ItemKind.DIVERSITY) {
            return Rubric.DIVERSITY;
        }
        return design.rubric == null ? Rubric.DIALOGUE : design.rubric;
    }
}
