package org.esrp.generation.rest;

import jakarta.annotation.security.RolesAllowed;
import org.esrp.common.security.Roles;
import org.esrp.common.problem.ApiException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.esrp.generation.domain.ResponderKind;
import org.esrp.generation.service.ChatAnimeFile;
import org.esrp.generation.service.ChatAnimeImporter;
import org.esrp.generation.service.ChatAnimeImporter.ImportResult;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.UUID;

@Path("/studies/{studyId}/imports")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "imports", description = "Import recorded dialogues")
@RolesAllowed(Roles.RESEARCHER)
public class ImportResource {

    private final ChatAnimeImporter importer;
    private final ObjectMapper mapper;

    public ImportResource(ChatAnimeImporter importer, ObjectMapper mapper) {
        this.importer = importer;
        this.mapper = mapper;
    }

    /** Body: a file in the format of ChatAnime's data/&lt;responder&gt;.json. */
    @POST
    @Path("chatanime")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    public Uni<RestResponse<ImportResult>> chatAnime(@RestPath UUID studyId, @RestQuery String responder,
                                                     @RestQuery String kind, String body) {
        if (responder == null || !responder.matches("[\\p{L}\\p{N}._:-]{1,200}")) {
            throw ApiException.badRequest("responder", "give the responder's name: letters, digits, '.', '_', ':' and '-'");
        }
        if (kind == null || !(kind.equals("LLM") || kind.equals("HUMAN"))) {
            throw ApiException.badRequest("kind", "must be LLM or HUMAN");
        }
        ChatAnimeFile file = ChatAnimeFile.parse(mapper, body);
        return importer.importFile(studyId, responder, ResponderKind.valueOf(kind), file)
                .map(result -> RestResponse.status(result.answersCreated() > 0 ? RestResponse.Status.CREATED : RestResponse.Status.OK, result));
    }
}
