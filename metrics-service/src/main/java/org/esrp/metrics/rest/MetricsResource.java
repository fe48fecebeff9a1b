package org.esrp.metrics.rest;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.esrp.metrics.domain.Leaderboard;
import org.esrp.metrics.service.AgreementService;
import org.esrp.metrics.service.AgreementService.Agreement;
import org.esrp.metrics.service.DiversityService;
import org.esrp.metrics.service.DiversityService.Diversity;
import org.esrp.metrics.service.LeaderboardService;
import org.esrp.metrics.service.RaterService;
import org.esrp.metrics.service.RaterService.Rater;
import org.esrp.metrics.service.StudyStore;
import org.esrp.metrics.service.StudyStore.Snapshot;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Leaderboards, agreement, raters and diversity of a study. Computing blocks, so these run on worker threads. */
@Path("/studies/{studyId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "metrics", description = "Live leaderboards with confidence intervals, human baseline, agreement, raters, diversity")
public class MetricsResource {

    private static final Set<String> RATER_KINDS = Set.of("HUMAN", "LLM_JUDGE");
    private static final Duration STREAM_CHECK = Duration.ofMillis(100);

    private final StudyStore store;
    private final LeaderboardService leaderboards;
    private final AgreementService agreement;
    private final RaterService raters;
    private final DiversityService diversity;

    public MetricsResource(StudyStore store, LeaderboardService leaderboards, AgreementService agreement, RaterService raters,
                           DiversityService diversity) {
        this.store = store;
        this.leaderboards = leaderboards;
        this.agreement = agreement;
        this.raters = raters;
        this.diversity = diversity;
    }

    @GET
    @Path("leaderboard")
    public Leaderboard leaderboard(@RestPath UUID studyId, @RestQuery String groupBy, @RestQuery String raterKind) {
        return leaderboards.leaderboard(snapshot(studyId), groupBy(groupBy), raterKind(raterKind));
    }

    @GET
    @Path("agreement")
    public List<Agreement> agreement(@RestPath UUID studyId, @RestQuery String raterKind) {
        return agreement.agreement(snapshot(studyId), raterKind(raterKind));
    }

    @GET
    @Path("raters")
    public List<Rater> raters(@RestPath UUID studyId) {
        return raters.raters(snapshot(studyId));
    }

    @GET
    @Path("diversity")
    public List<Diversity> diversity(@RestPath UUID studyId, @RestQuery String round) {
        return diversity.diversity(snapshot(studyId), round(round));
    }

    @GET
    @Path("leaderboard.csv")
    @Produces("text/csv")
    public String leaderboardCsv(@RestPath UUID studyId, @RestQuery String groupBy, @RestQuery String raterKind) {
        return Csv.leaderboard(leaderboard(studyId, groupBy, raterKind));
    }

    @GET
    @Path("baseline.csv")
    @Produces("text/csv")
    public String baselineCsv(@RestPath UUID studyId, @RestQuery String raterKind) {
        return Csv.baseline(leaderboard(studyId, null, raterKind));
    }

    @GET
    @Path("agreement.csv")
    @Produces("text/csv")
    public String agreementCsv(@RestPath UUID studyId, @RestQuery String raterKind) {
        return Csv.agreement(agreement(studyId, raterKind));
    }

    @GET
    @Path("raters.csv")
    @Produces("text/csv")
    public String ratersCsv(@RestPath UUID studyId) {
        return Csv.raters(raters(studyId));
    }

    @GET
    @Path("diversity.csv")
    @Produces("text/csv")
    public String diversityCsv(@RestPath UUID studyId, @RestQuery String round) {
        return Csv.diversity(diversity(studyId, round));
    }

    /**
     * The leaderboard now, then again whenever the study's events changed it: the stream looks every 100 ms, so a
     * change shows within that plus the computing time.
     */
    @GET
    @Path("leaderboard/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<Leaderboard> stream(@RestPath UUID studyId, @RestQuery String groupBy, @RestQuery String raterKind) {
        String group = groupBy(groupBy);
        String kind = raterKind(raterKind);
        AtomicLong seen = new AtomicLong(-1);
        return Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(STREAM_CHECK)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(tick -> store.snapshot(studyId))
                .select().where(snapshot -> seen.getAndSet(snapshot.version()) != snapshot.version())
                .map(snapshot -> leaderboards.leaderboard(snapshot, group, kind));
    }

    private Snapshot snapshot(UUID studyId) {
        if (!store.knows(studyId)) {
            throw Problem.of(404, "Not Found", null, "no answers or ratings of study " + studyId + " have arrived");
        }
        return store.snapshot(studyId);
    }

    private static String groupBy(String groupBy) {
        if (groupBy == null || groupBy.isBlank()) {
            return null;
        }
        if (!LeaderboardService.GROUPS.contains(groupBy)) {
            throw Problem.of(400, "Bad Request", "groupBy", "must be one of " + LeaderboardService.GROUPS
                    + " (ratings are of whole dialogues, so ratings have no breakdown by round; the automatic "
                    + "diversity has one: /diversity?round=1|2)");
        }
        return groupBy;
    }

    private static Integer round(String round) {
        if (round == null || round.isBlank()) {
            return null;
        }
        if (!round.equals("1") && !round.equals("2")) {
            throw Problem.of(400, "Bad Request", "round", "must be 1 or 2");
        }
        return Integer.valueOf(round);
    }

    private static String raterKind(String raterKind) {
        if (raterKind == null || raterKind.isBlank()) {
            return null;
        }
        if (!RATER_KINDS.contains(raterKind)) {
            throw Problem.of(400, "Bad Request", "raterKind", "must be one of " + RATER_KINDS);
        }
        return raterKind;
    }
}
