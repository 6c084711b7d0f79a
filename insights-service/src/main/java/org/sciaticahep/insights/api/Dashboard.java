package org.sciaticahep.insights.api;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.sciaticahep.insights.domain.Adherence;
import org.sciaticahep.insights.domain.Facts;
import org.sciaticahep.insights.domain.Insights;
import org.sciaticahep.insights.domain.PainTrend;
import org.sciaticahep.insights.store.FactStore;
import org.sciaticahep.insights.store.FlagStore;

/** The clinician dashboard: server-rendered pages that need nothing from the internet. */
@Path("/")
public class Dashboard {

    static final int PATIENT_LIST_LIMIT = 200;

    @Inject
    Template index;

    @Inject
    Template patient;

    @Inject
    FactStore facts;

    @Inject
    FlagStore flags;

    @Inject
    PatientViews views;

    @Inject
    Insights insights;

    /** One row of the patient list. */
    public record PatientRow(String patientId, String clinicianId, String programId, long day, String adherence7,
                             String adherence28, String baseline, String trailing, String change, boolean worse) {
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> home() {
        return flags.queue(null).chain(queue -> facts.currentEnrollments(facts.client()).chain(enrollments -> {
            List<String> shown = enrollments.stream().limit(PATIENT_LIST_LIMIT).map(Facts.Enrollment::patientId).toList();
            return facts.patients(facts.client(), shown).map(patients -> {
                List<PatientRow> rows = new ArrayList<>();
                shown.forEach(id -> rows.add(row(patients.get(id))));
                return index.data("queue", queue).data("patients", rows).data("more", enrollments.size() - shown.size());
            });
        }));
    }

    @GET
    @Path("dashboard/patients/{patientId}")
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> patientPage(@PathParam("patientId") String patientId) {
        return views.patient(patientId).chain(p -> flags.ofPatient(facts.client(), patientId).map(patientFlags -> {
            LocalDate today = LocalDate.now(p.zone());
            PainTrend.Summary pain = PainTrend.summarize(p, today);
            Adherence.Report adherence = p.enrollment() == null ? null : safeAdherence(p, today.minusDays(27), today);
            return patient.data("p", p).data("pain", pain).data("adherence", adherence)
                    .data("adherenceChart", adherence == null ? null : Charts.adherenceBars(adherence))
                    .data("painChart", Charts.painLine(pain, today.minusDays(27), today))
                    .data("flags", patientFlags)
                    .data("fmt", new Charts.Format());
        }));
    }

    @POST
    @Path("dashboard/flags/{flagId}/acknowledge")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> acknowledge(@PathParam("flagId") String flagId, @FormParam("by") String by,
                                     @FormParam("back") String back) {
        ReviewResource.Action action = ReviewResource.check(new ReviewResource.Action(by, null), false);
        return insights.acknowledge(ReviewResource.id(flagId), action.by()).map(f -> backTo(back));
    }

    @POST
    @Path("dashboard/flags/{flagId}/resolve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> resolve(@PathParam("flagId") String flagId, @FormParam("by") String by,
                                 @FormParam("note") String note, @FormParam("back") String back) {
        ReviewResource.Action action = ReviewResource.check(new ReviewResource.Action(by, note), true);
        return insights.resolve(ReviewResource.id(flagId), action.by(), action.note()).map(f -> backTo(back));
    }

    /** Back to the page the form was on; only this dashboard's own pages, never another site. */
    private static Response backTo(String back) {
        String target = back != null && back.matches("/(dashboard/patients/[A-Za-z0-9._-]{1,64})?") ? back : "/";
        return Response.seeOther(URI.create(target)).build();
    }

    private PatientRow row(Facts.Patient p) {
        LocalDate today = LocalDate.now(p.zone());
        Adherence.Report week = safeAdherence(p, today.minusDays(6), today);
        Adherence.Report month = safeAdherence(p, today.minusDays(27), today);
        PainTrend.Summary pain = PainTrend.summarize(p, today);
        Charts.Format f = new Charts.Format();
        return new PatientRow(p.patientId(), p.enrollment().clinicianId(), p.enrollment().programId(),
                p.enrollment().dayNumber(today), f.percent(week == null ? null : week.ratio()),
                f.percent(month == null ? null : month.ratio()), f.score(pain.baseline()), f.score(pain.trailingMean()),
                f.signed(pain.changePoints()), pain.changePoints() != null && pain.changePoints() >= 2);
    }

    private Adherence.Report safeAdherence(Facts.Patient p, LocalDate from, LocalDate to) {
        try {
            return views.adherence(p, from, to);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
