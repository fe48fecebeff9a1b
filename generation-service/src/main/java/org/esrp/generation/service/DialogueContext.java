package org.esrp.generation.service;

import org.esrp.generation.domain.Dialogue;
import org.esrp.generation.domain.Responder;
import org.esrp.generation.domain.Response;
import org.esrp.generation.domain.Scenario;
import org.esrp.generation.domain.Simulator;
import org.esrp.generation.domain.StudyCharacter;

import java.util.List;
import java.util.Optional;

/** Everything needed to continue one dialogue. {@code simulator} is null when the study has none yet. */
public record DialogueContext(Dialogue dialogue, StudyCharacter character, Scenario scenario, Responder responder,
                              Simulator simulator, List<Response> responses) {

    public Optional<Response> round(int round) {
        return responses.stream().filter(r -> r.round == round).findFirst();
    }
}
