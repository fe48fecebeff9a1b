package org.esrp.annotation.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.domain.Item;

import java.util.UUID;

@ApplicationScoped
@WithSession
public class ItemRepository implements PanacheRepositoryBase<Item, UUID> {

    /** Whether any item of the study exists (its answers have arrived, or gold was planted). */
    public Uni<Boolean> anyIn(UUID studyId) {
        return find("studyId", studyId).firstResult().map(item -> item != null);
    }

    /**
     * The items an annotator may still be handed in a study (k not reached, a character it knows where the design
     * matches, not its own answers, not rated by it), gold aside.
     */
    public Uni<Long> countRateable(UUID studyId, UUID annotatorId, boolean matchCharacters, int ratersPerItem) {
        return Panache.getSession().flatMap(session -> session.createSelectionQuery("""
                        select count(i) from Item i
                        where i.studyId = :study and i.gold = false and i.ratings < :k
                          and (:match = false or i.characterId in (select c from Annotator a join a.characterIds c where a.id = :annotator))
                          and (i.responderId is null or i.responderId not in (select o from Annotator a join a.responderIds o where a.id = :annotator))
                          and not exists (select 1 from Rating r where r.itemId = i.id and r.annotatorId = :annotator)""", Long.class)
                .setParameter("study", studyId).setParameter("annotator", annotatorId).setParameter("match", matchCharacters)
                .setParameter("k", ratersPerItem)
                .getSingleResult());
    }

    /** A change of k moves the free slots of every item of the study by the difference (gold items have no cap). */
    public Uni<Integer> moveSlots(UUID studyId, int difference) {
        return difference == 0 ? Uni.createFrom().item(0) : Panache.getSession().flatMap(session -> session
                .createNativeQuery("UPDATE item SET open_slots = open_slots + :difference WHERE study_id = :study AND NOT gold")
                .setParameter("difference", difference).setParameter("study", studyId).executeUpdate());
    }
}
