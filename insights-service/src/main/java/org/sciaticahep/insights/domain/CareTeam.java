package org.sciaticahep.insights.domain;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.sciaticahep.insights.store.FactStore;
import org.sciaticahep.insights.store.FlagStore;
import org.sciaticahep.support.PatientAccess;

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

    /**
     * Only a clinician treating the flag's patient may acknowledge or resolve it. Anyone else is told there is no such
     * flag, exactly as for an id that does not exist: a refusal must not confirm that a flag, or a patient, exists.
     */
    public Uni<UUID> requireClinicianOfFlag(UUID flagId) {
        // one query either way, so the time taken tells no more than the answer
        return (isClinician() ? flags.visibleTo(flagId, callerId()) : Uni.createFrom().item(false)).map(allowed -> {
                    if (!allowed) {
                        throw new Refusal.NotFound("no such flag");
                    }
                    return flagId;
                });
    }
}
