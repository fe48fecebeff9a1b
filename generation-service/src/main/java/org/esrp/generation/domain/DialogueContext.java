package org.esrp.generation.domain;

import java.util.List;
import java.util.Optional;

/** Everything needed to continue one dialogue. {@code simulator} is null when the study has none yet. */
public record DialogueContext(Dialogue dialogue, StudyCharacter character, Scenario scenario, Responder responder,
                              Simulator simulator, List<Response> responses) {

    public Optional<Response> round(int round) {
        return responses.stream().filter(r -> r.round == round).findFirst();
    }
}
