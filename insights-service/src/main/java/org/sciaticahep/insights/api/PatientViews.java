package org.sciaticahep.insights.api;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.List;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.insights.domain.Adherence;
import org.sciaticahep.insights.domain.DateRange;
import org.sciaticahep.insights.domain.Facts;
import org.sciaticahep.insights.domain.PainTrend;
import org.sciaticahep.insights.domain.Prescription;
import org.sciaticahep.insights.domain.ReviewFlag;
import org.sciaticahep.insights.store.FactStore;
import org.sciaticahep.insights.store.FlagStore;
import org.sciaticahep.support.ProblemException;

/** Reads for the API and the dashboard: one patient's facts, computed into adherence, pain and flags. */
@ApplicationScoped
public class PatientViews {

    @Inject
    FactStore facts;

    @Inject
    FlagStore flags;

    @Inject
    CatalogCopy catalog;

    public Uni<Facts.Patient> patient(String patientId) {
        return facts.patient(facts.client(), patientId);
    }

    public Uni<Adherence.Report> adherence(String patientId, LocalDate from, LocalDate to) {
        return patient(patientId).map(p -> adherence(p, from, to));
    }

    Adherence.Report adherence(Facts.Patient p, LocalDate from, LocalDate to) {
        if (p.enrollment() == null) {
            throw ProblemException.notFound("this patient has no active enrollment");
        }
        Prescription prescription = Prescription.of(p.enrollment().programId(), catalog).orElseThrow(() ->
                ProblemException.notFound("program " + p.enrollment().programId() + " is not in the catalog copy yet"));
        DateRange range = DateRange.of(from, to, p.enrollment().startDate(), LocalDate.now(p.zone()));
        return Adherence.compute(p.enrollment(), prescription, p.exercises(), range.from(), range.to());
    }

    public Uni<PainTrend.Summary> pain(String patientId) {
        return patient(patientId).map(p -> PainTrend.summarize(p, LocalDate.now(p.zone())));
    }

    public Uni<List<ReviewFlag>> flags(String patientId) {
        return flags.ofPatient(facts.client(), patientId);
    }
}
