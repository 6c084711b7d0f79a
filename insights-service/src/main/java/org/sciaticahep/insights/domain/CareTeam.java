package org.sciaticahep.insights.domain;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.sciaticahep.insights.store.FactStore;
import org.sciaticahep.insights.store.FlagStore;
import org.sciaticahep.support.PatientAccess;
import org.sciaticahep.support.ProblemException;

/** A clinician treats the patients enrolled with them, as the enrollments insights has applied say. */
@ApplicationScoped
public class CareTeam extends PatientAccess {

    @Inject
    FactStore facts;

    @Inject
    FlagStore flags;

    @Override
    protected Uni<Boolean> treats(String clinicianId, String patientId) {
        return facts.treats(clinicianId, patientId);
    }

    /** Only a clinician treating the flag's patient may acknowledge or resolve it. */
    public Uni<UUID> requireClinicianOfFlag(UUID flagId) {
        return flags.byId(facts.client(), flagId).chain(flag -> {
            if (flag == null) {
                throw ProblemException.notFound("no such flag");
            }
            return requireClinician(flag.patientId()).replaceWith(flagId);
        });
    }
}
