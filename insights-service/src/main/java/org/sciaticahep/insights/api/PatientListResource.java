package org.sciaticahep.insights.api;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.sciaticahep.insights.domain.CareTeam;
import org.sciaticahep.support.Roles;
import org.sciaticahep.support.Page;
import java.util.List;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Violation;

@Path("/patients")
@Produces(MediaType.APPLICATION_JSON)
public class PatientListResource {

    @Inject
    PatientViews views;

    @Inject
    CareTeam access;

    @GET
    @RolesAllowed(Roles.CLINICIAN)
    @Operation(summary = "The caller's patients in patient id order, each with adherence and pain of the last 7 and 28 days "
            + "and the flags waiting; one page (page from 0, size 1-500, default 50) with the total; search: only ids starting so")
    public Uni<Page<PatientViews.PatientSummary>> patients(@QueryParam("page") @DefaultValue("0") int page,
                                                           @QueryParam("size") @DefaultValue("50") int size,
                                                           @QueryParam("search") String search) {
        long offset = Page.offset(page, size, "page", "size");
        String prefix = search(search);
        return views.patients(access.callerId(), prefix, size, offset).map(rows -> Page.of(page, size, rows));
    }

    /** A search is the start of a patient id (blank: all); anything an id cannot hold is 400 naming it. */
    static String search(String search) {
        if (search == null || search.isBlank()) {
            return null;
        }
        String trimmed = search.strip();
        if (trimmed.length() > 64 || !trimmed.matches("[A-Za-z0-9._-]+")) {
            throw ProblemException.malformed(List.of(Violation.of("search", "must be the start of a patient id: letters, digits, '.', '_' or '-'")),
                    "search is not the start of a patient id");
        }
        return trimmed;
    }
}
