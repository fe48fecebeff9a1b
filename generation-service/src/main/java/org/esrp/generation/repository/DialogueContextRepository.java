package org.esrp.generation.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.generation.domain.Dialogue;
import org.esrp.generation.domain.DialogueContext;
import org.esrp.generation.domain.DialogueStatus;
import org.esrp.llm.LlmSettings;
import org.esrp.generation.domain.Responder;
import org.esrp.generation.domain.ResponderKind;
import org.esrp.generation.domain.Response;
import org.esrp.generation.domain.Scenario;
import org.esrp.generation.domain.Simulator;
import org.esrp.generation.domain.StudyCharacter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

/**
 * What the generation workers read and write for every dialogue, in plain SQL on the reactive pool: one query loads a
 * dialogue with its character, scenario, responder, simulator and answers, one statement stores an answer. Through
 * Hibernate Reactive the same took six queries and a session per dialogue, and 40% of the service's CPU at the
 * provider's limit (deploy/bench/generation.sh).
 */
@ApplicationScoped
public class DialogueContextRepository {

    private final Pool pool;

    public DialogueContextRepository(Pool pool) {
        this.pool = pool;
    }

    /** The dialogue and all it needs to go on; null when there is no such dialogue. */
    public Uni<DialogueContext> load(UUID dialogueId) {
        return pool.preparedQuery("""
                        SELECT d.id, d.study_id, d.character_id, d.scenario_id, d.responder_id, d.status, d.run_id, d.lease_until,
                               d.attempts, d.failure_reason, d.pending_question, d.pending_simulator_model, d.created_at, d.updated_at,
                               c.label AS c_label, c.name AS c_name, c.work AS c_work, c.personality AS c_personality,
                               c.speech_style AS c_speech_style, c.history AS c_history, c.created_at AS c_created_at,
                               s.external_id AS s_external_id, s.persona AS s_persona, s.emotion AS s_emotion, s.event AS s_event,
                               s.opening_message AS s_opening_message, s.created_at AS s_created_at,
                               p.name AS p_name, p.kind AS p_kind, p.base_url AS p_base_url, p.model_name AS p_model_name,
                               p.api_key_env AS p_api_key_env, p.temperature AS p_temperature, p.max_tokens AS p_max_tokens,
                               p.max_concurrency AS p_max_concurrency, p.requests_per_minute AS p_requests_per_minute,
                               p.timeout_seconds AS p_timeout_seconds, p.created_at AS p_created_at,
                               p.price_input_per_million AS p_price_input_per_million, p.price_output_per_million AS p_price_output_per_million,
                               ARRAY(SELECT rc.character_id FROM responder_character rc WHERE rc.responder_id = p.id) AS p_character_ids,
                               m.study_id AS m_study_id, m.base_url AS m_base_url, m.model_name AS m_model_name,
                               m.api_key_env AS m_api_key_env, m.temperature AS m_temperature, m.max_tokens AS m_max_tokens,
                               m.max_concurrency AS m_max_concurrency, m.requests_per_minute AS m_requests_per_minute,
                               m.timeout_seconds AS m_timeout_seconds, m.prompt AS m_prompt, m.updated_at AS m_updated_at,
                               m.price_input_per_million AS m_price_input_per_million, m.price_output_per_million AS m_price_output_per_million
                        FROM dialogue d
                        JOIN study_character c ON c.id = d.character_id
                        JOIN scenario s ON s.id = d.scenario_id
                        JOIN responder p ON p.id = d.responder_id
                        LEFT JOIN simulator m ON m.study_id = d.study_id
                        WHERE d.id = $1""")
                .execute(Tuple.of(dialogueId))
                .flatMap(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().nullItem();
                    }
                    Row row = rows.iterator().next();
                    return pool.preparedQuery("SELECT * FROM response WHERE dialogue_id = $1 ORDER BY round").execute(Tuple.of(dialogueId))
                            .map(answers -> {
                                List<Response> responses = new ArrayList<>();
                                answers.forEach(answer -> responses.add(response(answer)));
                                return new DialogueContext(dialogue(row), character(row), scenario(row), responder(row),
                                        row.getUUID("m_study_id") == null ? null : simulator(row), responses);
                            });
                });
    }

    /**
     * Stores one round's answer unless that round has one, with the run whose call paid for it (its cost goes to that
     * run when the dialogue is handed over); returns the stored answer either way.
     */
    public Uni<Response> storeAnswer(Response answer, UUID runId) {
        return pool.preparedQuery("""
                        INSERT INTO response (id, dialogue_id, round, user_message, answer, latency_ms, tokens_in, tokens_out,
                                              temperature, simulator_model, simulator_tokens_in, simulator_tokens_out, cost, run_id, created_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now())
                        ON CONFLICT (dialogue_id, round) DO NOTHING
                        RETURNING *""")
                .execute(Tuple.tuple(Arrays.asList(UUID.randomUUID(), answer.dialogueId, answer.round, answer.userMessage, answer.answer,
                        answer.latencyMs, answer.tokensIn, answer.tokensOut, answer.temperature, answer.simulatorModel,
                        answer.simulatorTokensIn, answer.simulatorTokensOut, answer.cost, runId)))
                .flatMap(inserted -> inserted.iterator().hasNext()
                        ? Uni.createFrom().item(response(inserted.iterator().next()))
                        : pool.preparedQuery("SELECT * FROM response WHERE dialogue_id = $1 AND round = $2")
                                .execute(Tuple.of(answer.dialogueId, answer.round))
                                .map(existing -> response(existing.iterator().next())));
    }

    private static Dialogue dialogue(Row row) {
        Dialogue d = new Dialogue();
        d.id = row.getUUID("id");
        d.studyId = row.getUUID("study_id");
        d.characterId = row.getUUID("character_id");
        d.scenarioId = row.getUUID("scenario_id");
        d.responderId = row.getUUID("responder_id");
        d.status = DialogueStatus.valueOf(row.getString("status"));
        d.runId = row.getUUID("run_id");
        d.leaseUntil = row.getOffsetDateTime("lease_until");
        d.attempts = row.getInteger("attempts");
        d.failureReason = row.getString("failure_reason");
        d.pendingQuestion = row.getString("pending_question");
        d.pendingSimulatorModel = row.getString("pending_simulator_model");
        d.createdAt = row.getOffsetDateTime("created_at");
        d.updatedAt = row.getOffsetDateTime("updated_at");
        return d;
    }

    private static StudyCharacter character(Row row) {
        StudyCharacter c = new StudyCharacter();
        c.id = row.getUUID("character_id");
        c.studyId = row.getUUID("study_id");
        c.label = row.getString("c_label");
        c.name = row.getString("c_name");
        c.work = row.getString("c_work");
        c.personality = row.getString("c_personality");
        c.speechStyle = row.getString("c_speech_style");
        c.history = row.getString("c_history");
        c.createdAt = row.getOffsetDateTime("c_created_at");
        return c;
    }

    private static Scenario scenario(Row row) {
        Scenario s = new Scenario();
        s.id = row.getUUID("scenario_id");
        s.studyId = row.getUUID("study_id");
        s.externalId = row.getString("s_external_id");
        s.persona = row.getString("s_persona");
        s.emotion = row.getString("s_emotion");
        s.event = row.getString("s_event");
        s.openingMessage = row.getString("s_opening_message");
        s.createdAt = row.getOffsetDateTime("s_created_at");
        return s;
    }

    private static Responder responder(Row row) {
        Responder p = new Responder();
        p.id = row.getUUID("responder_id");
        p.studyId = row.getUUID("study_id");
        p.name = row.getString("p_name");
        p.kind = ResponderKind.valueOf(row.getString("p_kind"));
        p.llm = llm(row, "p_");
        p.characterIds = new HashSet<>(Arrays.asList(row.getArrayOfUUIDs("p_character_ids")));
        p.createdAt = row.getOffsetDateTime("p_created_at");
        return p;
    }

    private static Simulator simulator(Row row) {
        Simulator m = new Simulator();
        m.studyId = row.getUUID("m_study_id");
        m.llm = llm(row, "m_");
        m.prompt = row.getString("m_prompt");
        m.updatedAt = row.getOffsetDateTime("m_updated_at");
        return m;
    }

    private static LlmSettings llm(Row row, String prefix) {
        LlmSettings llm = new LlmSettings();
        llm.baseUrl = row.getString(prefix + "base_url");
        llm.modelName = row.getString(prefix + "model_name");
        llm.apiKeyEnv = row.getString(prefix + "api_key_env");
        llm.temperature = row.getDouble(prefix + "temperature");
        llm.maxTokens = row.getInteger(prefix + "max_tokens");
        llm.maxConcurrency = row.getInteger(prefix + "max_concurrency");
        llm.requestsPerMinute = row.getInteger(prefix + "requests_per_minute");
        llm.timeoutSeconds = row.getInteger(prefix + "timeout_seconds");
        llm.priceInputPerMillion = row.getBigDecimal(prefix + "price_input_per_million");
        llm.priceOutputPerMillion = row.getBigDecimal(prefix + "price_output_per_million");
        return llm;
    }

    private static Response response(Row row) {
        Response r = new Response();
        r.id = row.getUUID("id");
        r.dialogueId = row.getUUID("dialogue_id");
        r.round = row.getShort("round");
        r.userMessage = row.getString("user_message");
        r.answer = row.getString("answer");
        r.latencyMs = row.getLong("latency_ms");
        r.tokensIn = row.getInteger("tokens_in");
        r.tokensOut = row.getInteger("tokens_out");
        r.temperature = row.getDouble("temperature");
        r.simulatorModel = row.getString("simulator_model");
        r.simulatorTokensIn = row.getInteger("simulator_tokens_in");
        r.simulatorTokensOut = row.getInteger("simulator_tokens_out");
        r.cost = row.getBigDecimal("cost");
        r.createdAt = row.getOffsetDateTime("created_at");
        r.publishedAt = row.getOffsetDateTime("published_at");
        return r;
    }
}
