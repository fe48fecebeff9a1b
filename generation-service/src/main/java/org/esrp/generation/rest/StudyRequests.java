package org.esrp.generation.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.esrp.llm.LlmRequest;
import org.esrp.generation.domain.Responder;
import org.esrp.generation.domain.ResponderKind;
import org.esrp.generation.domain.Scenario;
import org.esrp.generation.domain.Simulator;
import org.esrp.generation.domain.Study;
import org.esrp.generation.domain.StudyCharacter;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

/** The bodies that create a study and its parts; each maps onto its domain object. */
public final class StudyRequests {

    private StudyRequests() {
    }

    public record StudyRequest(@NotBlank @Size(max = 200) String name, @Size(max = 4000) String description) {
        Study toStudy() {
            Study study = new Study();
            study.name = name.strip();
            study.description = description;
            return study;
        }
    }

    public record CharacterRequest(@NotBlank @Size(max = 200) String name, @Size(max = 200) String work,
                                   @Size(max = 8000) String personality, @Size(max = 8000) String speechStyle,
                                   @Size(max = 8000) String history) {
        StudyCharacter toCharacter() {
            StudyCharacter character = new StudyCharacter();
            character.name = name.strip();
            character.work = work == null || work.isBlank() ? null : work.strip();
            character.label = StudyCharacter.labelOf(character.name, character.work);
            character.personality = personality;
            character.speechStyle = speechStyle;
            character.history = history;
            return character;
        }
    }

    public record ScenarioRequest(@Size(min = 1, max = 100) String externalId, @Size(max = 2000) String persona,
                                  @Size(max = 200) String emotion, @Size(max = 4000) String event,
                                  @NotBlank @Size(max = 8000) String openingMessage) {
        Scenario toScenario() {
            Scenario scenario = new Scenario();
            scenario.externalId = externalId == null ? UUID.randomUUID().toString() : externalId.strip();
            scenario.persona = persona;
            scenario.emotion = emotion;
            scenario.event = event;
            scenario.openingMessage = openingMessage;
            return scenario;
        }
    }


    /** An LLM needs {@code llm}; a HUMAN fan may name the characters it plays. */
    public record ResponderRequest(
            @NotBlank @Size(max = 200) @Pattern(regexp = "[\\p{L}\\p{N}._:-]+", message = "may hold letters, digits, '.', '_', ':' and '-' only") String name,
            @NotNull ResponderKind kind,
            @Valid LlmRequest llm,
            List<@NotNull UUID> characterIds) {
        Responder toResponder() {
            Responder responder = new Responder();
            responder.name = name.strip();
            responder.kind = kind;
            if (llm != null) {
                responder.llm = llm.toSettings();
            }
            responder.characterIds = characterIds == null ? new HashSet<>() : new HashSet<>(characterIds);
            return responder;
        }
    }

    public record SimulatorRequest(@NotNull @Valid LlmRequest llm, @Size(min = 20, max = 8000) String prompt) {
        Simulator toSimulator() {
            Simulator simulator = new Simulator();
            simulator.llm = llm.toSettings();
            simulator.prompt = prompt;
            return simulator;
        }
    }
}
