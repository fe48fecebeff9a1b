package org.esrp.metrics.repository;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.utils.Bytes;
import org.esrp.events.DesignEvent;
import org.esrp.events.RatingEvent;
import org.esrp.events.RubricMetric;
import org.esrp.events.Rubric;
import org.esrp.events.ResponseEvent;
import org.esrp.metrics.domain.DialogueInfo;
import org.esrp.metrics.domain.GroupDiversity;
import org.esrp.metrics.domain.ItemInfo;
import org.esrp.metrics.domain.RatingValues;
import org.esrp.metrics.domain.Responder;
import org.esrp.metrics.domain.StudyMeta;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.messaging.StudyEvent;
import org.esrp.metrics.messaging.StudyEventSerde;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One partition's studies: applies each event to the partition's state store (the durable copy, restored from its
 * changelog) and to the studies' working aggregates in the heap (rebuilt from the store by {@link #load()}). Each event
 * costs a few store reads and writes, whatever the number of stored ratings. Runs on the stream thread that owns the
 * partition.
 *
 * <p>What the store keeps per study: its meta (design, responders, metric dictionary, the judges' models), each
 * dialogue's and rated item's description, per rating its id (the exact de-duplication, looked up only when the
 * {@link SeenKeys} filters cannot rule the id out) with its compact integer scores ({@link RatingValues}), each
 * answer's text and embedding (the automatic diversity's input) and each (responder, character) group's measures,
 * written when they change. A group's numbers of answers and embeddings are counted from their entries by
 * {@link #load()} (those in its record are not read), so an answer costs no rewrite of its group's record (with its
 * measures, several kB).
 */
public final class StudyState {

    private static final ObjectMapper JSON = StudyEventSerde.MAPPER;
    private static final Logger LOG = Logger.getLogger(StudyState.class);

    private final KeyValues store;
    private final int partition;
    private final StudyModels models;
    private final StudyListener listener;
    private final boolean embeddings;
    private final SeenKeys seen = new SeenKeys();

    public StudyState(KeyValues store, int partition, StudyModels models, StudyListener listener, boolean embeddings) {
        this.store = store;
        this.partition = partition;
        this.models = models;
        this.listener = listener;
        this.embeddings = embeddings;
    }

    /** Applies one event; false when it was a repeat or not usable (nothing changed). */
    public boolean apply(StudyEvent event) {
        if (event instanceof StudyEvent.Answer a) {
            return answer(a.answer());
        } else if (event instanceof StudyEvent.Rating r) {
            return rating(r.rating());
        } else if (event instanceof StudyEvent.Design d) {
            return design(d.design());
        } else if (event instanceof StudyEvent.Embedding e) {
            return embedding(e);
        }
        return diversity((StudyEvent.Diversity) event);
    }

    private boolean answer(ResponseEvent a) {
        Bytes key = StateKeys.text(StateKeys.ANSWER, a.studyId(), a.responderId(), a.characterId(), a.round(), a.responseId());
        if (stored(key)) {
            return false;
        }
        StudyModel model = models.getOrCreate(a.studyId(), partition);
        putNew(key, a.answer().getBytes(StandardCharsets.UTF_8));
        boolean scores = false;
        if (model.responder(new Responder(a.responderId(), a.responderName(), a.responderKind(), a.modelName()), true)) {
            store.put(StateKeys.meta(a.studyId()), json(model.meta()));
            scores = true;
        }
        DialogueInfo dialogue = new DialogueInfo(a.dialogueId(), a.responderId(), a.characterId(), a.characterName(),
                a.scenarioId(), a.scenarioKey(), a.persona(), a.emotion());
        if (model.dialogue(dialogue)) {
            store.put(StateKeys.of(StateKeys.DIALOGUE, a.studyId(), a.dialogueId()), json(dialogue));
            scores = true;
        }
        GroupDiversity group = model.group(a.responderId(), a.characterId());
        synchronized (model) {
            for (int scope : GroupDiversity.scopes(a.round())) {
                group.answers()[scope]++;
            }
        }
        model.diversityChanged();
        if (scores) {
            model.changed();
        }
        listener.changed(model);
        listener.stale(a.studyId(), a.responderId(), a.characterId());
        if (embeddings) {
            listener.unembedded(a.studyId(), partition, key, a.answer());
        }
        return true;
    }

    /**
     * Why a rating cannot count, or null when it can: a score outside its metric's scale, or (once the study's design
     * is known) a metric its rubric does not have. Before the design arrives the default rubric's scales apply, and
     * metrics it does not name wait for the design.
     */
    public String refusal(RatingEvent r) {
        StudyModel model = models.get(r.studyId());
        List<RubricMetric> rubric = model == null
                ? (RatingEvent.DIALOGUE.equals(r.itemKind()) ? Rubric.DIALOGUE : Rubric.DIVERSITY)
                : (RatingEvent.DIALOGUE.equals(r.itemKind()) ? model.rubric() : model.diversityRubric());
        boolean designed = model != null && model.design() != null;
        for (Map.Entry<String, Integer> score : r.scores().entrySet()) {
            if (problem(rubric, designed, score) != null) {
                return firstProblemInKeyOrder(rubric, designed, r.scores());
            }
        }
        return null;
    }

    /**
     * Every rating passes the check: its scores are sorted only when one fails, so that which is named does not depend
     * on the order of the record's keys.
     */
    private static String firstProblemInKeyOrder(List<RubricMetric> rubric, boolean designed, Map<String, Integer> scores) {
        for (Map.Entry<String, Integer> score : new TreeMap<>(scores).entrySet()) {
            String problem = problem(rubric, designed, score);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String problem(List<RubricMetric> rubric, boolean designed, Map.Entry<String, Integer> score) {
        RubricMetric metric = null;
        for (RubricMetric m : rubric) {
            if (m.key().equals(score.getKey())) {
                metric = m;
                break;
            }
        }
        if (metric == null) {
            return designed ? "scores." + score.getKey() + " is not a metric of the study's rubric "
                    + rubric.stream().map(RubricMetric::key).toList() : null;
        }
        if (score.getValue() < metric.min() || score.getValue() > metric.max()) {
            return "scores." + score.getKey() + " = " + score.getValue() + " is outside the rubric's scale "
                    + metric.min() + "-" + metric.max();
        }
        return null;
    }

    private boolean rating(RatingEvent r) {
        Bytes key = StateKeys.of(StateKeys.RATING, r.studyId(), r.ratingId());
        if (stored(key)) {
            return false;
        }
        StudyModel model = models.getOrCreate(r.studyId(), partition);
        boolean metaChanged = model.responder(new Responder(r.responderId(), r.responderId().toString().substring(0, 8),
                r.responderKind(), r.modelName()), false);
        if (raterKind(r.raterKind()) == RatingValues.LLM_JUDGE) {
            metaChanged |= model.judge(r.annotatorId(), r.raterModel());
        }
        // in key order: a study's metric dictionary grows in the same order whatever the order of a record's keys
        String[] keys = r.scores().keySet().toArray(new String[0]);
        Arrays.sort(keys);
        short[] metrics = new short[keys.length];
        short[] scores = new short[keys.length];
        for (int i = 0; i < keys.length; i++) {
            metaChanged |= !model.knowsMetric(keys[i]);
            metrics[i] = model.metric(keys[i]);
            scores[i] = r.scores().get(keys[i]).shortValue();
        }
        if (metaChanged) {
            store.put(StateKeys.meta(r.studyId()), json(model.meta()));
        }
        ItemInfo item = new ItemInfo(r.itemKind(), r.itemId(), RatingEvent.DIALOGUE.equals(r.itemKind()) ? r.dialogueId() : null,
                r.responderId(), r.responderKind(), r.modelName(), r.characterId(), r.characterName(), r.scenarioId());
        if (!model.knowsItem(item.key())) {
            store.put(StateKeys.of(StateKeys.ITEM, r.studyId(), item.key()), json(item));
        }
        RatingValues values = new RatingValues(item.key(), r.annotatorId(), raterKind(r.raterKind()), flags(r), metrics, scores);
        putNew(key, values.encode());
        model.rating(item, values);
        model.changed();
        listener.changed(model);
        return true;
    }

    private boolean design(DesignEvent d) {
        StudyModel model = models.getOrCreate(d.studyId(), partition);
        model.design(d);
        store.put(StateKeys.meta(d.studyId()), json(model.meta()));
        model.changed();
        listener.changed(model);
        return true;
    }

    /** An embedding may come before its answer (they reach the partition by different ways): it is kept all the same. */
    private boolean embedding(StudyEvent.Embedding e) {
        Bytes key = StateKeys.text(StateKeys.VECTOR, e.studyId(), e.responderId(), e.characterId(), e.round(), e.responseId());
        if (stored(key)) {
            return false;
        }
        StudyModel model = models.getOrCreate(e.studyId(), partition);
        putNew(key, e.vector());
        GroupDiversity group = model.group(e.responderId(), e.characterId());
        synchronized (model) {
            for (int scope : GroupDiversity.scopes(e.round())) {
                group.vectors()[scope]++;
            }
        }
        model.diversityChanged();
        listener.changed(model);
        listener.stale(e.studyId(), e.responderId(), e.characterId());
        return true;
    }

    private boolean diversity(StudyEvent.Diversity d) {
        StudyModel model = models.getOrCreate(d.studyId(), partition);
        GroupDiversity group = model.group(d.responderId(), d.characterId());
        synchronized (model) {
            group.measures()[d.scope()] = d.measures();
        }
        store.put(StateKeys.group(d.studyId(), d.responderId(), d.characterId()), json(group));
        model.diversityChanged();
        listener.changed(model);
        if (group.stale(d.scope(), embeddings)) {
            listener.stale(d.studyId(), d.responderId(), d.characterId());
        }
        return true;
    }

    /**
     * Rebuilds the partition's working aggregates from its store (after a restore, a restart or a rebalance), and asks
     * again for what was pending: embeddings of answers that have none, measures that are stale.
     */
    public void load() {
        long start = System.nanoTime();
        long[] entries = new long[1];
        Map<UUID, StudyModel> loaded = new LinkedHashMap<>();
        Map<UUID, ItemInfo> items = new HashMap<>();
        Map<Bytes, Boolean> unembedded = new LinkedHashMap<>();
        Map<Bytes, int[]> texts = new HashMap<>();
        store.forEach((key, value) -> {
            entries[0]++;
            byte[] k = key.get();
            UUID study = StateKeys.study(k);
            StudyModel model = loaded.computeIfAbsent(study, id -> new StudyModel(id, partition));
            switch (StateKeys.type(k)) {
                case StateKeys.META -> model.restore(read(value, StudyMeta.class));
                case StateKeys.DIALOGUE -> model.dialogue(read(value, DialogueInfo.class));
                case StateKeys.GROUP -> model.group(read(value, GroupDiversity.class));
                case StateKeys.ITEM -> {
                    ItemInfo item = read(value, ItemInfo.class);
                    items.put(item.key(), item);
                }
                case StateKeys.RATING -> {
                    seen.add(key);
                    RatingValues values = RatingValues.decode(value);
                    model.rating(items.get(values.itemKey()), values);
                }
                case StateKeys.ANSWER -> {
                    seen.add(key);
                    count(texts, k, 0);
                    if (embeddings) {
                        unembedded.put(key, Boolean.TRUE);
                    }
                }
                case StateKeys.VECTOR -> {
                    seen.add(key);
                    count(texts, k, GroupDiversity.SCOPES);
                    unembedded.remove(StateKeys.retype(key, StateKeys.ANSWER));
                }
                default -> throw new IllegalStateException("unknown state entry type " + StateKeys.type(k));
            }
        });
        for (StudyModel model : loaded.values()) {
            for (GroupDiversity group : model.groups()) {
                Arrays.fill(group.answers(), 0);
                Arrays.fill(group.vectors(), 0);
            }
        }
        texts.forEach((prefix, counts) -> {
            byte[] k = prefix.get();
            GroupDiversity group = loaded.get(StateKeys.study(k)).group(StateKeys.responder(k), StateKeys.character(k));
            System.arraycopy(counts, 0, group.answers(), 0, GroupDiversity.SCOPES);
            System.arraycopy(counts, GroupDiversity.SCOPES, group.vectors(), 0, GroupDiversity.SCOPES);
        });
        models.load(partition, loaded);
        if (!loaded.isEmpty()) {
            LOG.infof("partition %d: %d studies loaded from %d state entries in %d ms", partition, loaded.size(), entries[0],
                    (System.nanoTime() - start) / 1_000_000);
        }
        for (StudyModel model : loaded.values()) {
            for (GroupDiversity group : model.groups()) {
                if (group.anyStale(embeddings)) {
                    listener.stale(model.studyId(), group.responderId(), group.characterId());
                }
            }
            listener.changed(model);
        }
        if (embeddings) {
            unembedded.keySet().forEach(key -> listener.unembedded(StateKeys.study(key.get()), partition, key,
                    new String(store.get(key), StandardCharsets.UTF_8)));
        }
    }

    /** Whether an event with this key was applied before: the exact de-duplication, a store read only when it may be. */
    private boolean stored(Bytes key) {
        return seen.mightContain(key) && store.get(key) != null;
    }

    /** Stores the entry of an event applied for the first time, and remembers its key for {@link #stored}. */
    private void putNew(Bytes key, byte[] value) {
        store.put(key, value);
        seen.add(key);
    }

    /** Counts an answer (at 0) or an embedding (at {@link GroupDiversity#SCOPES}) in its group's scopes. */
    private static void count(Map<Bytes, int[]> texts, byte[] key, int at) {
        Bytes group = StateKeys.group(StateKeys.study(key), StateKeys.responder(key), StateKeys.character(key));
        int[] counts = texts.computeIfAbsent(group, k -> new int[2 * GroupDiversity.SCOPES]);
        for (int scope : GroupDiversity.scopes(StateKeys.round(key))) {
            counts[at + scope]++;
        }
    }

    /** The partition is closing: its studies are no longer served here. */
    public void close() {
        models.drop(partition);
    }

    static byte raterKind(String kind) {
        return "LLM_JUDGE".equals(kind) ? RatingValues.LLM_JUDGE : RatingValues.HUMAN;
    }

    private static byte flags(RatingEvent r) {
        int flags = 0;
        if (r.flags() != null && r.flags().contains(RatingEvent.TOO_FAST)) {
            flags |= RatingValues.TOO_FAST;
        }
        if (r.flags() != null && r.flags().contains(RatingEvent.STRAIGHT_LINED)) {
            flags |= RatingValues.STRAIGHT_LINED;
        }
        if (r.gold()) {
            flags |= RatingValues.GOLD;
        }
        if (Boolean.TRUE.equals(r.goldPassed())) {
            flags |= RatingValues.GOLD_PASSED;
        } else if (Boolean.FALSE.equals(r.goldPassed())) {
            flags |= RatingValues.GOLD_FAILED;
        }
        return (byte) flags;
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
