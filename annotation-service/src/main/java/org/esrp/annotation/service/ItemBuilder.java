package org.esrp.annotation.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.domain.Answer;
import org.esrp.annotation.domain.Item;
import org.esrp.annotation.domain.ItemAnswer;
import org.esrp.annotation.domain.ItemKind;
import org.esrp.events.ResponseEvent;
import org.esrp.annotation.repository.AnswerRepository;
import org.esrp.annotation.repository.ItemRepository;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Stores consumed answers (once per responseId) and makes items of them: a DIALOGUE item once both rounds of a
 * dialogue are in; a DIVERSITY item whenever a responder has M round-1 answers for a character not yet in a set.
 */
@ApplicationScoped
public class ItemBuilder {

    private final AnswerRepository answers;
    private final ItemRepository items;
    private final DesignService designs;

    public ItemBuilder(AnswerRepository answers, ItemRepository items, DesignService designs) {
        this.answers = answers;
        this.items = items;
        this.designs = designs;
    }

    @WithTransaction
    public Uni<Void> ingest(ResponseEvent event) {
        return answers.findById(event.responseId()).flatMap(known -> known != null
                ? Uni.createFrom().voidItem()
                : answers.persist(toAnswer(event)).call(answers::flush)
                        .flatMap(stored -> dialogueItem(stored).flatMap(v -> event.round() == 1 ? diversityItem(stored) : Uni.createFrom().voidItem())));
    }

    private Uni<Void> dialogueItem(Answer stored) {
        return answers.listByDialogue(stored.dialogueId).flatMap(rounds -> {
            if (rounds.size() < 2) {
                return Uni.createFrom().voidItem();
            }
            return items.findByDialogue(stored.dialogueId).flatMap(existing -> existing != null ? Uni.createFrom().voidItem()
                    : designs.design(stored.studyId).flatMap(design -> {
                        Item item = newItem(stored, ItemKind.DIALOGUE, design.ratersPerItem);
                        item.dialogueId = stored.dialogueId;
                        item.scenarioId = stored.scenarioId;
                        item.persona = stored.persona;
                        item.emotion = stored.emotion;
                        return items.persist(item).replaceWithVoid();
                    }));
        });
    }

    private Uni<Void> diversityItem(Answer stored) {
        return designs.design(stored.studyId).flatMap(design -> answers.list(
                        "responderId = ?1 and characterId = ?2 and round = 1 and inDiversitySet = false order by createdAt, scenarioKey",
                        stored.responderId, stored.characterId)
                .flatMap(free -> free.size() < design.diversitySetSize ? Uni.createFrom().voidItem()
                        : createSet(stored, free.subList(0, design.diversitySetSize), design.ratersPerItem)));
    }

    private Uni<Void> createSet(Answer sample, List<Answer> members, int ratersPerItem) {
        Item item = newItem(sample, ItemKind.DIVERSITY, ratersPerItem);
        return items.countSets(sample.studyId, sample.responderId, sample.characterId)
                .invoke(sets -> item.setOrdinal = sets.intValue())
                .flatMap(sets -> items.persist(item)).call(items::flush).flatMap(persisted -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (int i = 0; i < members.size(); i++) {
                Answer member = members.get(i);
                member.inDiversitySet = true;
                ItemAnswer place = new ItemAnswer();
                place.itemId = item.id;
                place.responseId = member.responseId;
                place.position = (short) i;
                chain = chain.flatMap(v -> Panache.getSession().flatMap(session -> session.persist(place)));
            }
            return chain;
        });
    }

    private static Item newItem(Answer answer, ItemKind kind, int ratersPerItem) {
        Item item = new Item();
        item.id = UUID.randomUUID();
        item.studyId = answer.studyId;
        item.kind = kind;
        item.characterId = answer.characterId;
        item.characterName = answer.characterName;
        item.responderId = answer.responderId;
        item.responderKind = answer.responderKind;
        item.modelName = answer.modelName;
        item.openSlots = ratersPerItem;
        item.createdAt = OffsetDateTime.now();
        return item;
    }

    private static Answer toAnswer(ResponseEvent e) {
        Answer answer = new Answer();
        answer.responseId = e.responseId();
        answer.studyId = e.studyId();
        answer.dialogueId = e.dialogueId();
        answer.characterId = e.characterId();
        answer.characterName = e.characterName();
        answer.scenarioId = e.scenarioId();
        answer.scenarioKey = e.scenarioKey();
        answer.persona = e.persona();
        answer.emotion = e.emotion();
        answer.responderId = e.responderId();
        answer.responderName = e.responderName();
        answer.responderKind = e.responderKind();
        answer.modelName = e.modelName();
        answer.round = (short) e.round();
        answer.userMessage = e.userMessage();
        answer.answer = e.answer();
        answer.createdAt = e.createdAt() != null ? e.createdAt() : OffsetDateTime.now();
        return answer;
    }
}
