package org.esrp.metrics.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.events.Rubric;
import org.esrp.events.RubricMetric;
import org.esrp.metrics.domain.Exclusions;
import org.esrp.metrics.domain.Leaderboard;
import org.esrp.metrics.domain.Responder;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.service.RatedDialogues.Pair;
import org.esrp.metrics.service.RatedDialogues.Rated;
import org.esrp.metrics.service.RatedDialogues.Scores;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * Leaderboards of a study, on its own rubric; the same aggregates always give the same leaderboard. Scores are exact
 * fractions until they are reported. The human fans are one group: on each (character, scenario) pair their pooled
 * score is the mean of the fans' dialogue scores there; every paired statistic uses the pairs both sides share.
 */
@ApplicationScoped
public class LeaderboardService {

    public static final String INTERVAL = "95% t-interval over dialogues; a dialogue's score is the mean of its raters' scores;"
            + " the human fans' row is over (character, scenario) pairs, each the mean of the fans' dialogue scores there";
    public static final String TEST = "Wilcoxon signed-rank, two-sided, on exact differences (zeros dropped, exact ties), over the"
            + " (character, scenario) pairs a responder shares with the human fans (pooled: the mean of the fans' dialogue scores"
            + " on the pair); Holm-corrected across responders for each score";
    public static final List<String> GROUPS = List.of("character", "emotion", "persona");
    /** How the human fans appear in the table: as one group (default), or as the group and each fan. */
    public static final List<String> FANS = List.of("group", "each");
    public static final String HUMAN_FANS = "human fans";
    private static final String HUMAN = "HUMAN";
    /** Dialogues derived again per hold of the model's lock: about a millisecond at a million ratings. */
    private static final int CHUNK = 256;

    /** What the leaderboard is computed from, taken from the model in one short hold of its lock. */
    record Inputs(UUID studyId, List<RubricMetric> rubric, Scores scores, Map<UUID, Responder> responders, List<Rated> rated,
                  Leaderboard.Quality quality) {
    }

    /**
     * The entries of a table: every responder's rated dialogues but the fans' (theirs too with {@code eachFan}), and
     * the fans' pooled scores per (character, scenario) pair (no responder id); the fans, by id.
     */
    record Table(List<Rated> entries, List<UUID> fans) {
    }

    // per (study model, rater kind): each dialogue's scores as last derived, so that a grouped leaderboard or a comparison
    // derives again only the dialogues rated since the last one (weak keys: a model that is no longer served takes its entries along)
    private final Map<StudyModel, Map<String, Map<UUID, RatedDialogues.Derived>>> derived =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    // per study model: its leaderboards with no breakdown, each kept up to date (weak keys, as above)
    private final Map<StudyModel, Map<String, StandingLeaderboard>> standing =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    public Leaderboard leaderboard(StudyModel model, LeaderboardQuery query) {
        boolean eachFan = "each".equals(query.fans());
        if (query.groupBy() == null) {
            return standing(model, query.raterKind(), query.quality(), eachFan);
        }
        return grouped(inputs(model, query.raterKind(), query.quality()), query.groupBy(), query.raterKind(), eachFan);
    }

    private Leaderboard standing(StudyModel model, String raterKind, boolean quality, boolean eachFan) {
        Map<String, StandingLeaderboard> tables = standing.computeIfAbsent(model, m -> new HashMap<>());
        String key = raterKind + "/" + quality + "/" + eachFan;
        record Pending(StandingLeaderboard table, Exclusions exclusions, List<StudyModel.Item> items) {
        }
        record Read(Map<UUID, Responder> responders, Leaderboard.Quality quality) {
        }
        // one computation of a study's tables at a time: each takes in the changes since the one before
        synchronized (tables) {
            Pending pending = model.read(m -> {
                Set<UUID> fans = fans(RatedDialogues.responders(m));
                StandingLeaderboard table = tables.get(key);
                if (table == null || !table.fits(m.rubric(), fans)) {
                    table = new StandingLeaderboard(m.rubric(), fans, RaterKinds.code(raterKind), eachFan);
                    tables.put(key, table);
                }
                Exclusions exclusions = m.exclusions(quality);
                return new Pending(table, exclusions, table.pending(m, exclusions));
            });
            StandingLeaderboard table = pending.table();
            // a few changed dialogues per computation, but every one when the exclusions change: a chunk per hold
            model.readInChunks(pending.items(), CHUNK, (m, chunk) -> table.update(m, pending.exclusions(), chunk));
            Read read = model.read(m -> new Read(RatedDialogues.responders(m), new Leaderboard.Quality(quality ? "policy" : "off",
                    m.policy(), pending.exclusions().excludedRaters(), table.excluded())));
            return new Leaderboard(model.studyId(), raterKind, null, INTERVAL, read.quality(), metrics(table.rubric()),
                    List.of(new Leaderboard.Group(null, table.rows(read.responders()))), table.baseline(read.responders()));
        }
    }

    /**
     * @param raterKind null for every kind
     * @param quality whether the study's quality policy applies (as last derived from its rater statistics)
     */
    Inputs inputs(StudyModel model, String raterKind, boolean quality) {
        Map<UUID, RatedDialogues.Derived> known = derived.computeIfAbsent(model, m -> new java.util.concurrent.ConcurrentHashMap<>())
                .computeIfAbsent(raterKind + "/" + quality, k -> new HashMap<>());
        return model.read(m -> {
            List<RubricMetric> rubric = m.rubric();
            Scores scores = Scores.of(rubric);
            Exclusions exclusions = m.exclusions(quality);
            List<Rated> rated = RatedDialogues.rated(m, RaterKinds.code(raterKind), scores, known, exclusions);
            return new Inputs(m.studyId(), rubric, scores, RatedDialogues.responders(m), rated, new Leaderboard.Quality(
                    quality ? "policy" : "off", m.policy(), exclusions.excludedRaters(), rated.stream().mapToInt(Rated::excluded).sum()));
        });
    }

    static Table table(Inputs inputs, boolean eachFan) {
        Set<UUID> fanIds = fans(inputs.responders());
        List<UUID> fans = new ArrayList<>();
        List<Rated> fanDialogues = new ArrayList<>();
        List<Rated> entries = new ArrayList<>();
        for (Rated r : inputs.rated()) {
            if (fanIds.contains(r.responderId())) {
                fanDialogues.add(r);
                if (!fans.contains(r.responderId())) {
                    fans.add(r.responderId());
                }
                if (eachFan) {
                    entries.add(r);
                }
            } else {
                entries.add(r);
            }
        }
        fans.sort(Comparator.naturalOrder());
        entries.addAll(pooled(fanDialogues).values());
        return new Table(entries, fans);
    }

    private static Leaderboard grouped(Inputs inputs, String groupBy, String raterKind, boolean eachFan) {
        Table table = table(inputs, eachFan);
        Function<Rated, String> key = switch (groupBy) {
            case "character" -> Rated::characterName;
            case "emotion" -> r -> r.emotion() == null ? "unknown" : r.emotion();
            case "persona" -> r -> r.persona() == null ? "unknown" : r.persona();
            default -> throw new IllegalArgumentException(groupBy);
        };
        Map<String, LeaderboardRows> byGroup = new TreeMap<>();
        for (Rated r : table.entries()) {
            byGroup.computeIfAbsent(String.valueOf(key.apply(r)), k -> new LeaderboardRows(inputs.scores())).add(r);
        }
        List<Leaderboard.Group> groups = new ArrayList<>();
        byGroup.forEach((value, rows) -> groups.add(new Leaderboard.Group(value, rows.rows(inputs.responders(), table.fans().size()))));
        return new Leaderboard(inputs.studyId(), raterKind, groupBy, INTERVAL, inputs.quality(), metrics(inputs.rubric()), groups, null);
    }

    /** The HUMAN responders: the fans. */
    static Set<UUID> fans(Map<UUID, Responder> responders) {
        Set<UUID> fans = new HashSet<>();
        responders.forEach((id, responder) -> {
            if (HUMAN.equals(responder.kind())) {
                fans.add(id);
            }
        });
        return fans;
    }

    /** The fans' pooled scores per (character, scenario) pair, in pair order. */
    private static Map<Pair, Rated> pooled(List<Rated> fanDialogues) {
        Map<Pair, List<Rated>> byPair = new TreeMap<>(Pair.ORDER);
        for (Rated r : fanDialogues) {
            byPair.computeIfAbsent(r.pair(), p -> new ArrayList<>()).add(r);
        }
        Map<Pair, Rated> pooled = new TreeMap<>(Pair.ORDER);
        byPair.forEach((pair, dialogues) -> pooled.put(pair, RatedDialogues.pooled(dialogues)));
        return pooled;
    }


    private static List<Leaderboard.Metric> metrics(List<RubricMetric> rubric) {
        return rubric.stream().map(m -> new Leaderboard.Metric(m.key(), m.name(), Rubric.dimensionKey(m.dimension()), m.dimension(),
                m.min(), m.max())).toList();
    }
}
