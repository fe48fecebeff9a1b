package org.esrp.metrics.rest;

import jakarta.annotation.security.RolesAllowed;
import org.esrp.common.problem.ApiException;
import org.esrp.common.security.Roles;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.esrp.metrics.domain.Adjusted;
import org.esrp.metrics.domain.Comparisons;
import org.esrp.metrics.domain.Leaderboard;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.repository.StudyModels;
import org.esrp.metrics.service.AgreementService.Agreement;
import org.esrp.metrics.service.DiversityService.Diversity;
import org.esrp.metrics.service.JudgeAgreementService.JudgeAgreement;
import org.esrp.metrics.service.ComparisonService;
import org.esrp.metrics.service.LeaderboardFeeds;
import org.esrp.metrics.service.LeaderboardQuery;
import org.esrp.metrics.service.LeaderboardService;
import org.esrp.metrics.service.Ownership;
import org.esrp.metrics.service.RaterKinds;
import org.esrp.metrics.service.RaterService.Rater;
import org.esrp.metrics.service.StudyViews;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Leaderboards, agreement (among raters, and of each LLM judge with the humans), raters and diversity of a study, as
 * last computed (see {@link StudyViews}); a study served by another instance is answered by asking that instance.
 */
@Path("/studies/{studyId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "metrics", description = "Live leaderboards with confidence intervals, human baseline, agreement, raters, diversity")
// Unblinded: who wrote what, and how each annotator rates. Never for annotators.
@RolesAllowed(Roles.ANALYST)
public class MetricsResource {

    private final StudyModels models;
    private final StudyViews views;
    private final LeaderboardFeeds feeds;
    private final Ownership ownership;
    private final Forwarder forwarder;
    private final String self;

    public MetricsResource(StudyModels models, StudyViews views, LeaderboardFeeds feeds, Ownership ownership, Forwarder forwarder,
                           @ConfigProperty(name = "quarkus.kafka-streams.application-server") String self) {
        this.models = models;
        this.views = views;
        this.feeds = feeds;
        this.ownership = ownership;
        this.forwarder = forwarder;
        this.self = self;
    }

    @GET
    @Path("leaderboard")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Leaderboard.class)))
    public Uni<Response> leaderboard(@RestPath UUID studyId, @RestQuery String groupBy, @RestQuery String raterKind,
                                     @RestQuery String fans, @RestQuery String quality, @RestHeader(Forwarder.HEADER) String forwarded, @Context UriInfo uri) {
        LeaderboardQuery query = query(groupBy, raterKind, fans, quality);
        return serve(studyId, forwarded, uri, model -> json(views.leaderboard(model, query).utf8()));
    }

    @GET
    @Path("comparisons")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Comparisons.class)))
    public Uni<Response> comparisons(@RestPath UUID studyId, @RestQuery String raterKind, @RestQuery String score,
                                     @RestQuery String quality, @RestHeader(Forwarder.HEADER) String forwarded, @Context UriInfo uri) {
        String kind = raterKind(raterKind);
        boolean policy = quality(quality);
        return serve(studyId, forwarded, uri, model -> json(views.comparisons(model, kind, score(model, score), policy).utf8()));
    }

    @GET
    @Path("comparisons.csv")
    @Produces("text/csv")
    public Uni<Response> comparisonsCsv(@RestPath UUID studyId, @RestQuery String raterKind, @RestQuery String score,
                                        @RestQuery String quality, @RestHeader(Forwarder.HEADER) String forwarded, @Context UriInfo uri) {
        String kind = raterKind(raterKind);
        boolean policy = quality(quality);
        return serve(studyId, forwarded, uri,
                model -> csv(Csv.comparisons(views.comparisons(model, kind, score(model, score), policy).value())));
    }

    @GET
    @Path("adjusted")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Adjusted.class)))
    public Uni<Response> adjusted(@RestPath UUID studyId, @RestQuery String raterKind, @RestQuery String score,
                                  @RestQuery String quality, @RestHeader(Forwarder.HEADER) String forwarded, @Context UriInfo uri) {
        String kind = raterKind(raterKind);
        boolean policy = quality(quality);
        return serve(studyId, forwarded, uri, model -> json(views.adjusted(model, kind, score(model, score), policy).utf8()));
    }

    @GET
    @Path("adjusted.csv")
    @Produces("text/csv")
    public Uni<Response> adjustedCsv(@RestPath UUID studyId, @RestQuery String raterKind, @RestQuery String score,
                                     @RestQuery String quality, @RestHeader(Forwarder.HEADER) String forwarded, @Context UriInfo uri) {
        String kind = raterKind(raterKind);
        boolean policy = quality(quality);
        return serve(studyId, forwarded, uri, model -> csv(Csv.adjusted(views.adjusted(model, kind, score(model, score), policy).value())));
    }

    @GET
    @Path("agreement")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Agreement.class, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)))
    public Uni<Response> agreement(@RestPath UUID studyId, @RestQuery String raterKind, @RestQuery String quality,
                                   @RestHeader(Forwarder.HEADER) String forwarded,
                                   @Context UriInfo uri) {
        String kind = raterKind(raterKind);
        boolean policy = quality(quality);
        return serve(studyId, forwarded, uri, model -> json(views.agreement(model, kind, policy).utf8()));
    }

    /** Per LLM judge and metric: how its scores agree with the humans' on the dialogues both rated. */
    @GET
    @Path("judges/agreement")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = JudgeAgreement.class, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)))
    public Uni<Response> judgeAgreement(@RestPath UUID studyId, @RestQuery String quality, @RestHeader(Forwarder.HEADER) String forwarded,
                                        @Context UriInfo uri) {
        boolean policy = quality(quality);
        return serve(studyId, forwarded, uri, model -> json(views.judgeAgreement(model, policy).utf8()));
    }

    @GET
    @Path("raters")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Rater.class, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)))
    public Uni<Response> raters(@RestPath UUID studyId, @RestHeader(Forwarder.HEADER) String forwarded, @Context UriInfo uri) {
        return serve(studyId, forwarded, uri, model -> json(views.raters(model).utf8()));
    }

    @GET
    @Path("diversity")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Diversity.class, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY)))
    public Uni<Response> diversity(@RestPath UUID studyId, @RestQuery String round, @RestQuery String quality,
                                   @RestHeader(Forwarder.HEADER) String forwarded, @Context UriInfo uri) {
        Integer r = round(round);
        boolean policy = quality(quality);
        return serve(studyId, forwarded, uri, model -> json(views.diversity(model, r, policy).utf8()));
    }

    @GET
    @Path("leaderboard.csv")
    @Produces("text/csv")
    public Uni<Response> leaderboardCsv(@RestPath UUID studyId, @RestQuery String groupBy, @RestQuery String raterKind,
                                        @RestQuery String fans, @RestQuery String quality, @RestHeader(Forwarder.HEADER) String forwarded, @Context UriInfo uri) {
        LeaderboardQuery query = query(groupBy, raterKind, fans, quality);
        return serve(studyId, forwarded, uri, model -> csv(Csv.leaderboard(views.leaderboard(model, query).value())));
    }

    @GET
    @Path("baseline.csv")
    @Produces("text/csv")
    public Uni<Response> baselineCsv(@RestPath UUID studyId, @RestQuery String raterKind, @RestQuery String quality,
                                     @RestHeader(Forwarder.HEADER) String forwarded, @Context UriInfo uri) {
        LeaderboardQuery query = query(null, raterKind, null, quality);
        return serve(studyId, forwarded, uri, model -> csv(Csv.baseline(views.leaderboard(model, query).value())));
    }

    @GET
    @Path("agreement.csv")
    @Produces("text/csv")
    public Uni<Response> agreementCsv(@RestPath UUID studyId, @RestQuery String raterKind, @RestQuery String quality,
                                      @RestHeader(Forwarder.HEADER) String forwarded,
                                      @Context UriInfo uri) {
        String kind = raterKind(raterKind);
        boolean policy = quality(quality);
        return serve(studyId, forwarded, uri, model -> csv(Csv.agreement(views.agreement(model, kind, policy).value())));
    }

    @GET
    @Path("judges/agreement.csv")
    @Produces("text/csv")
    public Uni<Response> judgeAgreementCsv(@RestPath UUID studyId, @RestQuery String quality, @RestHeader(Forwarder.HEADER) String forwarded,
                                           @Context UriInfo uri) {
        boolean policy = quality(quality);
        return serve(studyId, forwarded, uri, model -> csv(Csv.judgeAgreement(views.judgeAgreement(model, policy).value())));
    }

    @GET
    @Path("raters.csv")
    @Produces("text/csv")
    public Uni<Response> ratersCsv(@RestPath UUID studyId, @RestHeader(Forwarder.HEADER) String forwarded, @Context UriInfo uri) {
        return serve(studyId, forwarded, uri, model -> csv(Csv.raters(views.raters(model).value())));
    }

    @GET
    @Path("diversity.csv")
    @Produces("text/csv")
    public Uni<Response> diversityCsv(@RestPath UUID studyId, @RestQuery String round, @RestQuery String quality,
                                      @RestHeader(Forwarder.HEADER) String forwarded, @Context UriInfo uri) {
        Integer r = round(round);
        boolean policy = quality(quality);
        return serve(studyId, forwarded, uri, model -> csv(Csv.diversity(views.diversity(model, r, policy).value())));
    }

    /**
     * The leaderboard now, then again whenever the study's events change it (at most once per throttle interval, and
     * always after the last change): one computation per change, shared by every open stream.
     */
    @GET
    @Path("leaderboard/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    public Multi<String> stream(@RestPath UUID studyId, @RestQuery String groupBy, @RestQuery String raterKind,
                                @RestQuery String fans, @RestQuery String quality, @RestHeader(Forwarder.HEADER) String forwarded, @Context UriInfo uri) {
        LeaderboardQuery query = query(groupBy, raterKind, fans, quality);
        Ownership.Owner owner = ownership.of(studyId);
        if (owner.local()) {
            known(studyId);
            return feeds.subscribe(studyId, query);
        }
        if (owner.available() && forwarded == null) {
            return forwarder.stream(owner.url(), uri.getRequestUri());
        }
        throw Forwarder.unavailable("the instance that serves study " + studyId + " is not known yet (rebalancing); try again");
    }

    private Uni<Response> serve(UUID studyId, String forwarded, UriInfo uri, Function<StudyModel, Response> local) {
        Ownership.Owner owner = ownership.of(studyId);
        if (owner.local()) {
            return Uni.createFrom().item(() -> local.apply(known(studyId))).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .map(response -> Response.fromResponse(response).header(Forwarder.SERVED_BY, self).build());
        }
        if (owner.available() && forwarded == null) {
            return forwarder.get(owner.url(), uri.getRequestUri());
        }
        return Uni.createFrom().item(Forwarder.unavailable("the instance that serves study " + studyId
                + " is not known yet (rebalancing); try again").getResponse());
    }

    private StudyModel known(UUID studyId) {
        StudyModel model = models.get(studyId);
        if (model == null) {
            throw ApiException.notFound("no answers or ratings of study " + studyId + " have arrived");
        }
        return model;
    }

    private static Response json(byte[] body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Response csv(String body) {
        return Response.ok(body, "text/csv").build();
    }

    private static LeaderboardQuery query(String groupBy, String raterKind, String fans, String quality) {
        return new LeaderboardQuery(groupBy(groupBy), raterKind(raterKind), fans(fans), quality(quality));
    }

    /** Whether the study's quality policy applies: "policy" (the default) or "off" (every rating counts). */
    private static boolean quality(String quality) {
        if (quality == null || quality.isBlank() || quality.equals("policy")) {
            return true;
        }
        if (!quality.equals("off")) {
            throw ApiException.badRequest("quality", "must be policy (the study's quality policy, the default) or off (every rating)");
        }
        return false;
    }

    /** A score of the study's rubric: overall (the default), a dimension's key or a metric's key. */
    private static String score(StudyModel model, String score) {
        if (score == null || score.isBlank()) {
            return "overall";
        }
        List<String> scores = ComparisonService.scores(model);
        if (!scores.contains(score)) {
            throw ApiException.badRequest("score", "must be one of " + scores);
        }
        return score;
    }

    private static String fans(String fans) {
        if (fans == null || fans.isBlank()) {
            return LeaderboardQuery.DEFAULT.fans();
        }
        if (!LeaderboardService.FANS.contains(fans)) {
            throw ApiException.badRequest("fans", "must be one of " + LeaderboardService.FANS
                    + " (the human fans as one group, or the group and each fan)");
        }
        return fans;
    }

    private static String groupBy(String groupBy) {
        if (groupBy == null || groupBy.isBlank()) {
            return null;
        }
        if (!LeaderboardService.GROUPS.contains(groupBy)) {
            throw ApiException.badRequest("groupBy", "must be one of " + LeaderboardService.GROUPS
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
            throw ApiException.badRequest("round", "must be 1 or 2");
        }
        return Integer.valueOf(round);
    }

    /**
     * Whose ratings a view counts: the annotators' by default, so that an LLM judge added to a study never moves the
     * human leaderboard; {@code LLM_JUDGE} for the judges'; {@code ALL} for both together. Null: every kind.
     */
    private static String raterKind(String raterKind) {
        if (raterKind == null || raterKind.isBlank()) {
            return "HUMAN";
        }
        if (raterKind.equals("ALL")) {
            return null;
        }
        if (!RaterKinds.ALL.contains(raterKind)) {
            throw ApiException.badRequest("raterKind", "must be one of " + RaterKinds.ALL + " or ALL (both)");
        }
        return raterKind;
    }
}
