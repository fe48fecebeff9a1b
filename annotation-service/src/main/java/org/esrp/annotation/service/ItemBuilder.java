package org.esrp.annotation.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.repository.AnswerIntake;
import org.esrp.events.ResponseEvent;

/**
 * Stores consumed answers (once per responseId) and makes items of them: a DIALOGUE item once both rounds of a
 * dialogue are in; a DIVERSITY item whenever a responder has M round-1 answers for a character not yet in a set.
 */
@ApplicationScoped
public class ItemBuilder {

    private final AnswerIntake intake;

    public ItemBuilder(AnswerIntake intake) {
        this.intake = intake;
    }

    public Uni<Void> ingest(ResponseEvent event) {
        return intake.store(event);
    }
}
