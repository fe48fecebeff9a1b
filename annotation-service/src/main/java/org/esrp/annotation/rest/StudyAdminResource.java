package org.esrp.annotation.rest;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.esrp.annotation.domain.Item;
import org.esrp.events.QualityPolicy;
import org.esrp.events.RubricMetric;
import org.esrp.annotation.domain.StudyDesign;
import org.esrp.annotation.rest.AdminRequests.DesignRequest;
import org.esrp.common.problem.ApiException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import org.esrp.common.security.Roles;
import org.esrp.annotation.service.DesignService;
import org.esrp.annotation.service.GoldService;
import org.esrp.annotation.service.GoldService.GoldRequest;
import org.esrp.annotation.service.ReportService;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.esrp.events.RatingEvent;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Path("/studies/{studyId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "study administration", description = "Annotation design, gold items, progress, quality and exports (researchers; analysts read)")
@RolesAllowed(Roles.ANALYST)
public class StudyAdminResource {

    private final SecurityIdentity identity;
    private final DesignService designs;
    private final GoldService gold;
    private final ReportService reports;

    public StudyAdminResource(SecurityIdentity identity, DesignService designs, GoldService gold, ReportService reports) {
        this.identity = identity;
        this.designs = designs;
        this.gold = gold;
        this.reports = reports;
    }

    public record DesignView(UUID studyId, int ratersPerItem, boolean matchCharacters, double goldShare, int minSeconds,
                             int leaseSeconds, int diversitySetSize, List<RubricMetric> rubric, List<RubricMetric> diversityRubric,
                             QualityPolicy quality) {
    }

    @GET
    @Path("design")
    public Uni<DesignView> design(@RestPath UUID studyId) {
        return designs.known(studyId).map(this::view);
    }

    @PUT
    @Path("design")
    @RolesAllowed(Roles.RESEARCHER)
    public Uni<DesignView> putDesign(@RestPath UUID studyId,
                                     @NotNull @Valid DesignRequest request) {
        List<String> policy = request.quality() == null ? List.of() : request.quality().violations();
        if (!policy.isEmpty()) {
            // "field: what is wrong", the contract's wording
            int colon = policy.get(0).indexOf(':');
            throw ApiException.badRequest("quality." + policy.get(0).substring(0, colon), policy.get(0).substring(colon + 1).trim());
        }
        List<RubricMetric> rubric = request.toRubric();
        if (rubric != null) {
            if (new HashSet<>(rubric.stream().map(RubricMetric::key).toList()).size() != rubric.size()) {
                throw ApiException.badRequest("rubric", "metric keys must be unique");
            }
            for (int i = 0; i < rubric.size(); i++) {
                if (rubric.get(i).min() >= rubric.get(i).max()) {
                    throw ApiException.badRequest("rubric[" + i + "].max", "must be above min");
                }
            }
        }
        return designs.put(request.toDesign(studyId), rubric).map(this::view);
    }

    @POST
    @Path("gold")
    @RolesAllowed(Roles.RESEARCHER)
    public Uni<RestResponse<Map<String, UUID>>> plantGold(@RestPath UUID studyId, @NotNull GoldRequest request) {
        return gold.plant(studyId, request)
                .map((Item item) -> RestResponse.status(RestResponse.Status.CREATED, Map.of("itemId", item.id)));
    }

    @GET
    @Path("progress")
    public Uni<ReportService.Progress> progress(@RestPath UUID studyId) {
        return reports.progress(studyId);
    }

    @GET
    @Path("quality")
    public Uni<List<ReportService.Quality>> quality(@RestPath UUID studyId) {
        return reports.quality(studyId);
    }

    @GET
    @Path("ratings.jsonl")
    @Produces("application/x-ndjson")
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<RatingEvent> jsonl(@RestPath UUID studyId) {
        return reports.ratings(studyId);
    }

    @GET
    @Path("ratings.csv")
    @Produces("text/csv")
    public Multi<String> csv(@RestPath UUID studyId) {
        return reports.csv(studyId);
    }

    private DesignView view(StudyDesign d) {
        return new DesignView(d.studyId, d.ratersPerItem, d.matchCharacters, d.goldShare, d.minSeconds, d.leaseSeconds,
                d.diversitySetSize, designs.rubric(d, org.esrp.annotation.domain.ItemKind.DIALOGUE),
                designs.rubric(d, org.esrp.annotation.domain.ItemKind.DIVERSITY),
                d.quality == null ? QualityPolicy.DEFAULT : d.quality.withDefaults());
    }
}
