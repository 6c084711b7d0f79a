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
import org.sciaticahep.insights.domain.PatientOrder;
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
    @Operation(summary = "The caller's patients, each with adherence and pain of the last 7 and 28 days, a value per day of "
            + "the last 28 (adherenceDays, painDays: resting pain), the flags waiting; one page (page from 0, size 1-500, "
            + "default 50) with the total; search: only ids starting so; sort: patient (default), program, day, adherence-7, "
            + "adherence-28, pain-baseline, pain-last-7, pain-change, flags, paused, suggestions, with order asc (default) or "
            + "desc; care: current (default) or ended (care ended with the caller in the last 90 days: careEnded, no figures)")
    public Uni<Page<PatientViews.PatientSummary>> patients(@QueryParam("page") @DefaultValue("0") int page,
                                                           @QueryParam("size") @DefaultValue("50") int size,
                                                           @QueryParam("search") String search, @QueryParam("sort") String sort,
                                                           @QueryParam("order") String order, @QueryParam("care") String care) {
        long offset = Page.offset(page, size, "page", "size");
        ListQuery q = ListQuery.of(search, sort, order, care);
        return views.patients(access.callerId(), q.search(), q.ended(), q.sort(), q.descending(), size, offset)
                .map(rows -> Page.of(page, size, rows));
    }

    /** What the list is asked for: search, sort column and direction, current or ended care. */
    public record ListQuery(String search, PatientOrder sort, boolean descending, boolean ended) {

        /** Each parameter checked; one that is none of its values is 400 naming it. */
        static ListQuery of(String search, String sort, String order, String care) {
            PatientOrder by = sort == null || sort.isBlank() ? PatientOrder.PATIENT : PatientOrder.of(sort.strip());
            if (by == null) {
                throw malformed("sort", "must be one of " + java.util.Arrays.stream(PatientOrder.values()).map(PatientOrder::parameter).toList());
            }
            if (order != null && !order.isBlank() && !order.strip().equals("asc") && !order.strip().equals("desc")) {
                throw malformed("order", "must be asc or desc");
            }
            if (care != null && !care.isBlank() && !care.strip().equals("current") && !care.strip().equals("ended")) {
                throw malformed("care", "must be current or ended");
            }
            boolean ended = care != null && care.strip().equals("ended");
            if (ended && !by.byDatabase()) {
                throw malformed("sort", "ended care has no figures: sort it by patient, program or day");
            }
            return new ListQuery(PatientListResource.search(search), by, order != null && order.strip().equals("desc"), ended);
        }

        private static ProblemException malformed(String field, String reason) {
            return ProblemException.malformed(List.of(Violation.of(field, reason)), field + " is not one the list knows");
        }
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
