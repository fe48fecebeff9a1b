package org.esrp.annotation.service;

import org.eclipse.microprofile.faulttolerance.Timeout;
import org.esrp.common.health.DatabaseTime;
import org.esrp.common.problem.ApiException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.domain.Item;
import org.esrp.annotation.domain.ItemKind;
import org.esrp.events.RubricMetric;
import org.esrp.events.Rubric;
import org.esrp.annotation.repository.ItemRepository;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Gold items: dialogues with known expected ratings (e.g. a planted, obviously out-of-character answer that should
 * score low on role-playing). They look like any other dialogue task; each annotator's pass rate comes from them.
 */
@ApplicationScoped
public class GoldService {

    private final ItemRepository items;
    private final DesignService designs;
    private final ObjectMapper mapper;

    public GoldService(ItemRepository items, DesignService designs, ObjectMapper mapper) {
        this.items = items;
        this.designs = designs;
        this.mapper = mapper;
    }

    public record GoldRequest(UUID characterId, String characterName, String persona, String emotion,
                              List<TaskView.Round> rounds, Map<String, List<Integer>> expected) {
    }

    @WithTransaction
    @Timeout(DatabaseTime.LIMIT_MS)
    public Uni<Item> plant(UUID studyId, GoldRequest request) {
        if (request.characterName() == null || request.characterName().isBlank()) {
            throw ApiException.badRequest("characterName", "must not be blank");
        }
        if (request.rounds() == null || request.rounds().size() != 2
                || request.rounds().stream().anyMatch(r -> r.userMessage() == null || r.answer() == null)) {
            throw ApiException.badRequest("rounds", "give both rounds, each with userMessage and answer");
        }
        if (request.expected() == null || request.expected().isEmpty()) {
            throw ApiException.badRequest("expected", "give at least one metric's expected [min, max]");
        }
        request.expected().forEach((metric, range) -> {
            RubricMetric known = Rubric.DIALOGUE.stream().filter(m -> m.key().equals(metric)).findFirst()
                    .orElseThrow(() -> ApiException.badRequest("expected." + metric, "not a metric of the rubric"));
            if (range == null || range.size() != 2 || range.get(0) > range.get(1) || range.get(0) < known.min() || range.get(1) > known.max()) {
                throw ApiException.badRequest("expected." + metric, "must be [min, max] within the scale");
            }
        });
        Item item = new Item();
        item.id = UUID.randomUUID();
        item.studyId = studyId;
        item.kind = ItemKind.DIALOGUE;
        item.characterId = request.characterId();
        item.characterName = request.characterName();
        item.persona = request.persona();
        item.emotion = request.emotion();
        item.gold = true;
        // Gold items are not capped at k, so they have no slots to count.
        item.openSlots = 0;
        item.goldExpected = write(request.expected());
        item.goldContent = write(request.rounds());
        item.createdAt = OffsetDateTime.now();
        return designs.known(studyId).flatMap(design -> items.persist(item));
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
