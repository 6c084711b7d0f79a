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
            + "and the flags waiting; one page (page from 0, size 1-500, default 50) with the total")
    public Uni<Page<PatientViews.PatientSummary>> patients(@QueryParam("page") @DefaultValue("0") int page,
                                                           @QueryParam("size") @DefaultValue("50") int size) {
        long offset = Page.offset(page, size, "page", "size");
        return views.patients(access.callerId(), size, offset).map(rows -> Page.of(page, size, rows));
    }
}
