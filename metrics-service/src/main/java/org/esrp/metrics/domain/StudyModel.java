package org.esrp.metrics.domain;

import org.esrp.events.DesignEvent;
import org.esrp.events.QualityPolicy;
import org.esrp.events.Rubric;
import org.esrp.events.RubricMetric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The working copy of one study's aggregates, kept in the heap of the instance that owns the study's partition and
 * rebuilt from the study's state store whenever the partition is assigned. Per item it keeps the ratings' integer
 * scores packed (what agreement and rater statistics need) and, per rater kind and metric, running integer sums (what
 * the leaderboard needs); nothing of a rating's text or ids but its rater. Every update costs O(1) in the number of
 * stored ratings. Guarded by its own monitor: the stream thread writes, the computing threads read.
 */
public final class StudyModel {

    private final UUID studyId;
    private final int partition;
    private DesignEvent design;
    private final TreeMap<UUID, Responder> responders = new TreeMap<>();
    private final TreeMap<UUID, String> judgeModels = new TreeMap<>();
    private final List<String> metrics = new ArrayList<>();
    private final Map<String, Short> metricIndex = new HashMap<>();
    private final List<UUID> raters = new ArrayList<>();
    private final Map<UUID, Integer> raterIndex = new HashMap<>();
    private final Map<UUID, DialogueInfo> dialogues = new HashMap<>();
    private final TreeMap<UUID, Item> items = new TreeMap<>();
    private final TreeMap<UUID, TreeMap<UUID, GroupDiversity>> groups = new TreeMap<>();
    private long version;
    private long diversityVersion;
    // the keys of the items changed (a rating added, their dialogue described), the last CHANGE_LOG of them: what a view
    // kept up to date takes in, instead of looking at every item
    private static final int CHANGE_LOG = 1 << 14;
    private final UUID[] changeLog = new UUID[CHANGE_LOG];
    private long changes;
    private Exclusions exclusions;

    public StudyModel(UUID studyId, int partition) {
        this.studyId = studyId;
        this.partition = partition;
    }

    public UUID studyId() {
        return studyId;
    }

    public int partition() {
        return partition;
    }

    /** Counts the changes to what the scores' views (leaderboards, agreement, raters) are computed from. */
    public synchronized long version() {
        return version;
    }

    /** Counts the changes to what the diversity view is computed from: answers, embeddings, measures and the above. */
    public synchronized long diversityVersion() {
        return version + diversityVersion;
    }

    /** Ratings, a design, a responder or a dialogue changed (and with them every view). */
    public synchronized void changed() {
        version++;
    }

    /**
     * What the study's quality policy leaves out, as last derived from its rater statistics; null until first derived.
     * A change is a change of every view's input.
     */
    public synchronized Exclusions exclusions() {
        return exclusions;
    }

    /** What the tables leave out: the policy's exclusions when it applies (and they were derived), else nothing. */
    public synchronized Exclusions exclusions(boolean quality) {
        return quality && exclusions != null ? exclusions : Exclusions.NONE;
    }

    /** Records what the policy leaves out; true (and every view is computed again) when it differs from before. */
    public synchronized boolean exclusions(Exclusions derived) {
        if (derived.equals(exclusions)) {
            return false;
        }
        exclusions = derived;
        version++;
        return true;
    }

    /** A rater's index in {@link #raterIds()}, or -1. */
    public synchronized int raterIndex(UUID annotatorId) {
        Integer index = raterIndex.get(annotatorId);
        return index == null ? -1 : index;
    }

    /** The study's quality policy: its design's, defaults filled in. */
    public synchronized QualityPolicy policy() {
        return design == null ? QualityPolicy.DEFAULT : design.policy();
    }

    /** Only what automatic diversity is computed from changed (an answer's text, an embedding, a group's measures). */
    public synchronized void diversityChanged() {
        diversityVersion++;
    }

    /**
     * Computes from a consistent state: the stream thread's updates wait meanwhile. Items, their arrays and the group
     * records may be read only inside.
     */
    public synchronized <T> T read(java.util.function.Function<StudyModel, T> compute) {
        return compute.apply(this);
    }

    /**
     * Reads {@code all} (items, keys) {@code chunk} at a time, each in a hold of the lock of its own with a moment for
     * writers between: the stream thread, which needs the lock for every event it applies, waits for one chunk at most,
     * never for a whole pass over a large study (at a million ratings, tens of milliseconds, for every event meanwhile).
     * What changes between chunks is the next computation's: a view is computed again after any change.
     */
    public <T> void readInChunks(java.util.List<T> all, int chunk, java.util.function.BiConsumer<StudyModel, java.util.List<T>> step) {
        for (int from = 0; from < all.size(); from += chunk) {
            java.util.List<T> part = all.subList(from, Math.min(all.size(), from + chunk));
            read(m -> {
                step.accept(m, part);
                return null;
            });
            letWritersIn();
        }
    }

    /**
     * Between two {@link #read}s of one long computation: a moment in which a writer waiting for the lock (the stream
     * thread) takes it first, instead of the computing thread taking it again at once.
     */
    public static void letWritersIn() {
        java.util.concurrent.locks.LockSupport.parkNanos(100_000);
    }

    // ------------------------------------------------------------------ design, responders, metric dictionary

    public synchronized void design(DesignEvent design) {
        this.design = design;
    }

    public synchronized DesignEvent design() {
        return design;
    }

    /** The metrics of DIALOGUE items: the design's, or the default rubric. */
    public synchronized List<RubricMetric> rubric() {
        return design == null || design.rubric() == null || design.rubric().isEmpty() ? Rubric.DIALOGUE : design.rubric();
    }

    public synchronized List<RubricMetric> diversityRubric() {
        return design == null || design.diversityRubric() == null || design.diversityRubric().isEmpty()
                ? Rubric.DIVERSITY : design.diversityRubric();
    }

    /** Records a responder; an answer's description replaces one guessed from a rating. True when it changed. */
    public synchronized boolean responder(Responder responder, boolean authoritative) {
        Responder known = responders.get(responder.id());
        if (known == null || (authoritative && !known.equals(responder))) {
            responders.put(responder.id(), responder);
            return true;
        }
        return false;
    }

    public synchronized Map<UUID, Responder> responders() {
        return Collections.unmodifiableMap(new TreeMap<>(responders));
    }

    /** The index of a metric key in the dictionary, added when new. */
    public synchronized short metric(String key) {
        Short index = metricIndex.get(key);
        if (index == null) {
            index = (short) metrics.size();
            metrics.add(key);
            metricIndex.put(key, index);
        }
        return index;
    }

    public synchronized boolean knowsMetric(String key) {
        return metricIndex.containsKey(key);
    }

    /**
     * Records the model an LLM judge runs; true when that changed what is known. A judge is one model, but should its
     * ratings name two, the first in alphabetical order is kept, so that the answer does not depend on the order of
     * arrival.
     */
    public synchronized boolean judge(UUID judgeId, String model) {
        if (model == null || model.isBlank()) {
            return false;
        }
        String known = judgeModels.get(judgeId);
        if (known != null && known.compareTo(model) <= 0) {
            return false;
        }
        judgeModels.put(judgeId, model);
        return true;
    }

    /** The model of each LLM judge whose ratings named one, by judge id. */
    public synchronized Map<UUID, String> judgeModels() {
        return Collections.unmodifiableMap(new TreeMap<>(judgeModels));
    }

    public synchronized StudyMeta meta() {
        List<Judge> judges = new ArrayList<>();
        judgeModels.forEach((id, model) -> judges.add(new Judge(id, model)));
        return new StudyMeta(studyId, design, List.copyOf(responders.values()), List.copyOf(metrics), judges);
    }

    public synchronized void restore(StudyMeta meta) {
        design = meta.design();
        meta.responders().forEach(r -> responders.put(r.id(), r));
        meta.metrics().forEach(this::metric);
        if (meta.judges() != null) {
            meta.judges().forEach(j -> judge(j.id(), j.model()));
        }
    }

    // ------------------------------------------------------------------ dialogues and rated items

    /** True when the dialogue is new. */
    public synchronized boolean dialogue(DialogueInfo dialogue) {
        if (dialogues.putIfAbsent(dialogue.dialogueId(), dialogue) != null) {
            return false;
        }
        logChange(dialogue.dialogueId());
        return true;
    }

    public synchronized DialogueInfo dialogue(UUID dialogueId) {
        return dialogues.get(dialogueId);
    }

    public synchronized boolean knowsItem(UUID key) {
        return items.containsKey(key);
    }

    /** Adds a rating to its item (created from {@code info} when new); the metric indices are this study's. */
    public synchronized void rating(ItemInfo info, RatingValues values) {
        Item item = items.get(values.itemKey());
        if (item == null) {
            item = new Item(info);
            items.put(values.itemKey(), item);
        }
        item.add(rater(values.annotatorId()), values, metrics.size());
        // the key the item was stored under, not the rating's copy of it: the log keeps no object of its own
        logChange(item.info().key().equals(values.itemKey()) ? item.info().key() : values.itemKey());
    }

    private void logChange(UUID itemKey) {
        changeLog[(int) (changes++ % CHANGE_LOG)] = itemKey;
    }

    /** How many item changes were logged. */
    public synchronized long changeCount() {
        return changes;
    }

    /**
     * The keys of the items changed since the {@code since}-th change ({@link #changeCount()} then), each once; null when
     * the log no longer reaches back that far (look at every item then).
     */
    public synchronized java.util.Set<UUID> changedSince(long since) {
        if (changes - since > CHANGE_LOG) {
            return null;
        }
        java.util.Set<UUID> keys = new java.util.HashSet<>();
        for (long at = since; at < changes; at++) {
            keys.add(changeLog[(int) (at % CHANGE_LOG)]);
        }
        return keys;
    }

    /** The rated item of a key, or null; inside {@link #read} only. */
    public synchronized Item item(UUID key) {
        return items.get(key);
    }

    /** The rated items in key order (dialogue id, or item id for DIVERSITY items); inside {@link #read} only. */
    public synchronized Collection<Item> items() {
        return Collections.unmodifiableCollection(items.values());
    }

    public synchronized UUID raterId(int index) {
        return raters.get(index);
    }

    public synchronized int metricCount() {
        return metrics.size();
    }

    /** The index of a metric key, or -1 if no rating used it. */
    public synchronized int metricIndexOf(String key) {
        Short index = metricIndex.get(key);
        return index == null ? -1 : index;
    }

    private int rater(UUID annotatorId) {
        Integer index = raterIndex.get(annotatorId);
        if (index == null) {
            index = raters.size();
            raters.add(annotatorId);
            raterIndex.put(annotatorId, index);
        }
        return index;
    }

    // ------------------------------------------------------------------ automatic diversity

    public synchronized GroupDiversity group(UUID responderId, UUID characterId) {
        return groups.computeIfAbsent(responderId, r -> new TreeMap<>()).computeIfAbsent(characterId,
                c -> GroupDiversity.empty(responderId, characterId));
    }

    public synchronized void group(GroupDiversity group) {
        groups.computeIfAbsent(group.responderId(), r -> new TreeMap<>()).put(group.characterId(), group);
    }

    /** Every (responder, character) group, by responder then character. */
    public synchronized List<GroupDiversity> groups() {
        List<GroupDiversity> all = new ArrayList<>();
        groups.values().forEach(byCharacter -> all.addAll(byCharacter.values()));
        return all;
    }

    /**
     * An item's ratings (is it a DIALOGUE item?), one entry per rating: its rater (an index of {@link #raterIds()}),
     * rater kind, flags, and the sum and number of its scores.
     */
    public record Ratings(UUID item, boolean dialogue, int[] raters, byte[] kinds, byte[] flags, int[] scoreSums, byte[] scoreCounts) {

        public boolean has(int rating, byte flag) {
            return (flags[rating] & flag) != 0;
        }

        /** The rating's overall score: the mean of its scores (NaN for none). */
        public double overall(int rating) {
            return scoreCounts[rating] == 0 ? Double.NaN : scoreSums[rating] / (double) scoreCounts[rating];
        }
    }

    /** Every rater of the study, by index (a copy). */
    public synchronized List<UUID> raterIds() {
        return List.copyOf(raters);
    }

    /**
     * One rated item: its description, its ratings packed (rater, rater kind, flags and one short per metric of the
     * study's dictionary, {@link #MISSING} where the rating has no score), and per rater kind the non-gold ratings and
     * their per-metric integer sums and counts.
     */
    public static final class Item {

        public static final short MISSING = Short.MIN_VALUE;

        private final ItemInfo info;
        private int n;
        private int version;
        private int stride;
        private int[] rater = new int[4];
        private byte[] kind = new byte[4];
        private byte[] flags = new byte[4];
        // per rating: the sum and the number of its scores (its overall score is their quotient)
        private int[] scoreSum = new int[4];
        private byte[] scoreCount = new byte[4];
        private short[] scores = new short[0];
        private final int[] ratingsByKind = new int[RatingValues.RATER_KINDS];
        private long[] sums = new long[0];
        private int[] counts = new int[0];
        // per (rater kind, metric): the distinct non-gold scores given, ascending, and how often each was given
        private short[][] distinct = new short[0][];
        private int[][] tallies = new int[0][];
        // shared by every (kind, metric) without a score yet: most items have no judge's, and no other rubric's, scores
        private static final short[] NO_VALUES = new short[0];
        private static final int[] NO_TALLIES = new int[0];

        Item(ItemInfo info) {
            this.info = info;
        }

        public ItemInfo info() {
            return info;
        }

        void add(int raterIndex, RatingValues values, int metricCount) {
            if (metricCount > stride) {
                widen(metricCount);
            }
            if (n == rater.length) {
                // a quarter more, not twice: at 1M ratings an item holds about 76, and doubling left 128 slots of each
                // array for them (40% of the model's heap was growth slack); the copies stay O(1) per rating on average
                int capacity = n + Math.max(4, n >> 2);
                rater = Arrays.copyOf(rater, capacity);
                kind = Arrays.copyOf(kind, capacity);
                flags = Arrays.copyOf(flags, capacity);
                scoreSum = Arrays.copyOf(scoreSum, capacity);
                scoreCount = Arrays.copyOf(scoreCount, capacity);
            }
            if ((n + 1) * stride > scores.length) {
                int from = scores.length;
                scores = Arrays.copyOf(scores, Math.max(stride, rater.length * stride));
                Arrays.fill(scores, from, scores.length, MISSING);
            }
            rater[n] = raterIndex;
            kind[n] = values.raterKind();
            flags[n] = values.flags();
            int sum = 0;
            for (short score : values.scores()) {
                sum += score;
            }
            scoreSum[n] = sum;
            scoreCount[n] = (byte) values.scores().length;
            boolean gold = values.has(RatingValues.GOLD);
            for (int i = 0; i < values.metrics().length; i++) {
                int metric = values.metrics()[i];
                scores[n * stride + metric] = values.scores()[i];
                if (!gold) {
                    int at = values.raterKind() * stride + metric;
                    sums[at] += values.scores()[i];
                    counts[at]++;
                    tally(at, values.scores()[i]);
                }
            }
            if (!gold) {
                ratingsByKind[values.raterKind()]++;
            }
            n++;
            version++;
        }

        /** Counts the ratings added: what is derived from the item is derived again when it changes. */
        public int version() {
            return version;
        }

        private void tally(int at, short score) {
            short[] seen = distinct[at];
            int k = Arrays.binarySearch(seen, score);
            if (k >= 0) {
                tallies[at][k]++;
                return;
            }
            int insert = -k - 1;
            short[] moreValues = new short[seen.length + 1];
            int[] moreTallies = new int[seen.length + 1];
            System.arraycopy(seen, 0, moreValues, 0, insert);
            System.arraycopy(tallies[at], 0, moreTallies, 0, insert);
            moreValues[insert] = score;
            moreTallies[insert] = 1;
            System.arraycopy(seen, insert, moreValues, insert + 1, seen.length - insert);
            System.arraycopy(tallies[at], insert, moreTallies, insert + 1, seen.length - insert);
            distinct[at] = moreValues;
            tallies[at] = moreTallies;
        }

        private void widen(int newStride) {
            short[] wider = new short[Math.max(rater.length, 4) * newStride];
            Arrays.fill(wider, MISSING);
            for (int r = 0; r < n; r++) {
                System.arraycopy(scores, r * stride, wider, r * newStride, stride);
            }
            long[] widerSums = new long[RatingValues.RATER_KINDS * newStride];
            int[] widerCounts = new int[RatingValues.RATER_KINDS * newStride];
            short[][] widerValues = new short[RatingValues.RATER_KINDS * newStride][];
            int[][] widerTallies = new int[RatingValues.RATER_KINDS * newStride][];
            for (int k = 0; k < RatingValues.RATER_KINDS; k++) {
                System.arraycopy(sums, k * stride, widerSums, k * newStride, stride);
                System.arraycopy(counts, k * stride, widerCounts, k * newStride, stride);
                System.arraycopy(distinct, k * stride, widerValues, k * newStride, stride);
                System.arraycopy(tallies, k * stride, widerTallies, k * newStride, stride);
            }
            for (int at = 0; at < widerValues.length; at++) {
                if (widerValues[at] == null) {
                    widerValues[at] = NO_VALUES;
                    widerTallies[at] = NO_TALLIES;
                }
            }
            scores = wider;
            sums = widerSums;
            counts = widerCounts;
            distinct = widerValues;
            tallies = widerTallies;
            stride = newStride;
        }

        /** The item's ratings as rater statistics need them, copied (so they can be used outside the model's lock). */
        public Ratings ratings() {
            return new Ratings(info.key(), info.dialogueId() != null, Arrays.copyOf(rater, n), Arrays.copyOf(kind, n), Arrays.copyOf(flags, n),
                    Arrays.copyOf(scoreSum, n), Arrays.copyOf(scoreCount, n));
        }

        /** All ratings, gold ones included. */
        public int size() {
            return n;
        }

        public int rater(int rating) {
            return rater[rating];
        }

        public byte raterKind(int rating) {
            return kind[rating];
        }

        public boolean has(int rating, byte flag) {
            return (flags[rating] & flag) != 0;
        }

        /** The rating's score on a metric (an index of the study's dictionary), or {@link #MISSING}. */
        public short score(int rating, int metric) {
            return metric < 0 || metric >= stride ? MISSING : scores[rating * stride + metric];
        }

        /** Non-gold ratings of the kind (null: every kind). */
        public int ratings(Byte raterKind) {
            if (raterKind != null) {
                return ratingsByKind[raterKind];
            }
            int all = 0;
            for (int count : ratingsByKind) {
                all += count;
            }
            return all;
        }

        /** Sum of the non-gold scores of the kind (null: every kind) on a metric. */
        public long sum(Byte raterKind, int metric) {
            if (metric < 0 || metric >= stride) {
                return 0;
            }
            if (raterKind != null) {
                return sums[raterKind * stride + metric];
            }
            long all = 0;
            for (int k = 0; k < RatingValues.RATER_KINDS; k++) {
                all += sums[k * stride + metric];
            }
            return all;
        }

        /** The distinct non-gold scores of the kind on a metric, ascending (do not modify). */
        public short[] values(byte raterKind, int metric) {
            return metric < 0 || metric >= stride ? NO_VALUES : distinct[raterKind * stride + metric];
        }

        /** How often each of {@link #values} was given. */
        public int[] tallies(byte raterKind, int metric) {
            return metric < 0 || metric >= stride ? NO_TALLIES : tallies[raterKind * stride + metric];
        }

        public int count(Byte raterKind, int metric) {
            if (metric < 0 || metric >= stride) {
                return 0;
            }
            if (raterKind != null) {
                return counts[raterKind * stride + metric];
            }
            int all = 0;
            for (int k = 0; k < RatingValues.RATER_KINDS; k++) {
                all += counts[k * stride + metric];
            }
            return all;
        }
    }
}
