package org.esrp.generation.service;

import org.esrp.common.problem.ApiException;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.generation.domain.Dialogue;
import org.esrp.generation.domain.DialogueStatus;
import org.esrp.generation.domain.Responder;
import org.esrp.generation.domain.ResponderKind;
import org.esrp.generation.domain.Response;
import org.esrp.generation.domain.Scenario;
import org.esrp.generation.domain.StudyCharacter;
import org.esrp.generation.repository.DialogueRepository;
import org.esrp.generation.repository.ResponderRepository;
import org.esrp.generation.repository.ResponseRepository;
import org.esrp.generation.repository.ScenarioRepository;
import org.esrp.generation.repository.StudyCharacterRepository;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Imports a ChatAnime responder file into a study in one transaction: characters (from the keys), scenarios (by
 * dialog_id, opening with the first round-1 question seen), the responder and both rounds of every dialogue, each
 * user message exactly as recorded. What exists already is left alone, so a second import creates nothing.
 */
@ApplicationScoped
public class ChatAnimeImporter {

    private final StudyService studies;
    private final StudyCharacterRepository characters;
    private final ScenarioRepository scenarios;
    private final ResponderRepository responders;
    private final DialogueRepository dialogues;
    private final ResponseRepository responses;

    public ChatAnimeImporter(StudyService studies, StudyCharacterRepository characters, ScenarioRepository scenarios,
                             ResponderRepository responders, DialogueRepository dialogues, ResponseRepository responses) {
        this.studies = studies;
        this.characters = characters;
        this.scenarios = scenarios;
        this.responders = responders;
        this.dialogues = dialogues;
        this.responses = responses;
    }

    public record ImportResult(UUID responderId, String responder, ResponderKind kind, int charactersCreated,
                               int scenariosCreated, int dialoguesCreated, int answersCreated) {
    }

    @WithTransaction
    public Uni<ImportResult> importFile(UUID studyId, String responderName, ResponderKind kind, ChatAnimeFile file) {
        OffsetDateTime now = OffsetDateTime.now();
        return studies.study(studyId)
                .flatMap(study -> responders.findByName(studyId, responderName))
                .flatMap(found -> {
                    if (found != null && found.kind != kind) {
                        return Uni.createFrom().failure(ApiException.badRequest("kind",
                                "responder " + responderName + " exists with kind " + found.kind));
                    }
                    return found != null ? Uni.createFrom().item(found)
                            : responders.persist(newResponder(studyId, responderName, kind, now));
                })
                .flatMap(responder -> characters.listByStudy(studyId).flatMap(known -> {
                    Map<String, StudyCharacter> byLabel = known.stream().collect(Collectors.toMap(c -> c.label, Function.identity()));
                    List<StudyCharacter> created = new ArrayList<>();
                    for (ChatAnimeFile.Entry entry : file.entries()) {
                        byLabel.computeIfAbsent(entry.characterLabel(), label -> {
                            StudyCharacter character = newCharacter(studyId, entry, now);
                            created.add(character);
                            return character;
                        });
                    }
                    return persistAll(characters, created).replaceWith(new Lookup(responder, byLabel, created.size()));
                }))
                .flatMap(lookup -> scenarios.listByStudy(studyId).flatMap(known -> {
                    Map<String, Scenario> byKey = known.stream().collect(Collectors.toMap(s -> s.externalId, Function.identity()));
                    List<Scenario> created = new ArrayList<>();
                    for (ChatAnimeFile.Entry entry : file.entries()) {
                        byKey.computeIfAbsent(entry.dialogId(), key -> {
                            Scenario scenario = newScenario(studyId, entry, now);
                            created.add(scenario);
                            return scenario;
                        });
                    }
                    return persistAll(scenarios, created).replaceWith(new Scenarios(lookup, byKey, created.size()));
                }))
                .flatMap(known -> dialogues.listByResponder(known.lookup().responder().id)
                        .flatMap(existing -> responses.list(
                                        "dialogueId in (select d.id from Dialogue d where d.responderId = ?1)", known.lookup().responder().id)
                                .flatMap(stored -> writeDialogues(studyId, file, known, existing, stored, now))));
    }

    private Uni<ImportResult> writeDialogues(UUID studyId, ChatAnimeFile file, Scenarios known, List<Dialogue> existing,
                                             List<Response> stored, OffsetDateTime now) {
        Responder responder = known.lookup().responder();
        Map<String, Dialogue> byPair = existing.stream().collect(Collectors.toMap(d -> d.characterId + "/" + d.scenarioId, Function.identity()));
        Set<String> storedRounds = stored.stream().map(r -> r.dialogueId + "/" + r.round).collect(Collectors.toCollection(HashSet::new));
        List<Dialogue> newDialogues = new ArrayList<>();
        List<Response> newAnswers = new ArrayList<>();
        for (ChatAnimeFile.Entry entry : file.entries()) {
            StudyCharacter character = known.lookup().byLabel().get(entry.characterLabel());
            Scenario scenario = known.byKey().get(entry.dialogId());
            Dialogue dialogue = byPair.computeIfAbsent(character.id + "/" + scenario.id, pair -> {
                Dialogue d = newDialogue(studyId, character.id, scenario.id, responder.id, now);
                newDialogues.add(d);
                return d;
            });
            if (storedRounds.add(dialogue.id + "/1")) {
                newAnswers.add(newAnswer(dialogue.id, 1, entry.question1(), entry.answer1(), now));
            }
            if (storedRounds.add(dialogue.id + "/2")) {
                newAnswers.add(newAnswer(dialogue.id, 2, entry.question2(), entry.answer2(), now));
            }
            if (dialogue.status != DialogueStatus.DONE) {
                dialogue.status = DialogueStatus.DONE;
                dialogue.updatedAt = now;
            }
        }
        return persistAll(dialogues, newDialogues)
                .flatMap(v -> persistAll(responses, newAnswers))
                .map(v -> new ImportResult(responder.id, responder.name, responder.kind, known.lookup().charactersCreated(),
                        known.scenariosCreated(), newDialogues.size(), newAnswers.size()));
    }

    private static <E> Uni<Void> persistAll(io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase<E, UUID> repository, List<E> entities) {
        return entities.isEmpty() ? Uni.createFrom().voidItem() : repository.persist(entities);
    }

    private static Responder newResponder(UUID studyId, String name, ResponderKind kind, OffsetDateTime now) {
        Responder responder = new Responder();
        responder.id = UUID.randomUUID();
        responder.studyId = studyId;
        responder.name = name;
        responder.kind = kind;
        if (kind == ResponderKind.LLM) {
            // Recorded answers: the model is known by the file's name; there is no endpoint to call.
            responder.llm.modelName = name;
        }
        responder.createdAt = now;
        return responder;
    }

    private static StudyCharacter newCharacter(UUID studyId, ChatAnimeFile.Entry entry, OffsetDateTime now) {
        StudyCharacter character = new StudyCharacter();
        character.id = UUID.randomUUID();
        character.studyId = studyId;
        character.label = entry.characterLabel();
        character.name = entry.characterName();
        character.work = entry.work();
        character.createdAt = now;
        return character;
    }

    private static Scenario newScenario(UUID studyId, ChatAnimeFile.Entry entry, OffsetDateTime now) {
        Scenario scenario = new Scenario();
        scenario.id = UUID.randomUUID();
        scenario.studyId = studyId;
        scenario.externalId = entry.dialogId();
        scenario.openingMessage = entry.question1();
        scenario.createdAt = now;
        return scenario;
    }

    private static Dialogue newDialogue(UUID studyId, UUID characterId, UUID scenarioId, UUID responderId, OffsetDateTime now) {
        Dialogue dialogue = new Dialogue();
        dialogue.id = UUID.randomUUID();
        dialogue.studyId = studyId;
        dialogue.characterId = characterId;
        dialogue.scenarioId = scenarioId;
        dialogue.responderId = responderId;
        dialogue.status = DialogueStatus.DONE;
        dialogue.createdAt = now;
        dialogue.updatedAt = now;
        return dialogue;
    }

    private static Response newAnswer(UUID dialogueId, int round, String question, String answer, OffsetDateTime now) {
        Response response = new Response();
        response.id = UUID.randomUUID();
        response.dialogueId = dialogueId;
        response.round = (short) round;
        response.userMessage = question;
        response.answer = answer;
        response.createdAt = now;
        return response;
    }

    private record Lookup(Responder responder, Map<String, StudyCharacter> byLabel, int charactersCreated) {
    }

    private record Scenarios(Lookup lookup, Map<String, Scenario> byKey, int scenariosCreated) {
    }
}
