package org.esrp.annotation.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.domain.Item;
import org.esrp.annotation.domain.ItemKind;

import java.util.UUID;

@ApplicationScoped
@WithSession
public class ItemRepository implements PanacheRepositoryBase<Item, UUID> {

    public Uni<Item> findByDialogue(UUID dialogueId) {
        return find("dialogueId", dialogueId).firstResult();
    }

    /** How many diversity sets the responder has for the character in the study: the next set's ordinal. */
    public Uni<Long> countSets(UUID studyId, UUID responderId, UUID characterId) {
        return count("kind = ?1 and studyId = ?2 and responderId = ?3 and characterId = ?4",
                ItemKind.DIVERSITY, studyId, responderId, characterId);
    }

    /** One more accepted rating, counted in SQL so that concurrent submissions of one item never lose one. */
    public Uni<Integer> countRating(UUID itemId) {
        return Panache.getSession().flatMap(session -> session
                .createNativeQuery("UPDATE item SET ratings = ratings + 1 WHERE id = :id")
                .setParameter("id", itemId).executeUpdate());
    }

    /** A change of k moves the free slots of every item of the study by the difference (gold items have no cap). */
    public Uni<Integer> moveSlots(UUID studyId, int difference) {
        return difference == 0 ? Uni.createFrom().item(0) : Panache.getSession().flatMap(session -> session
                .createNativeQuery("UPDATE item SET open_slots = open_slots + :difference WHERE study_id = :study AND NOT gold")
                .setParameter("difference", difference).setParameter("study", studyId).executeUpdate());
    }
}
