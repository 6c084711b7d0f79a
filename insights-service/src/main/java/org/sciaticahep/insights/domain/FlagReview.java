package org.sciaticahep.insights.domain;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.insights.store.FactStore;
import org.sciaticahep.insights.store.FlagStore;

/** What clinicians do with flags: acknowledge (seen, maybe with a note), resolve (dealt with, with a note). */
@ApplicationScoped
public class FlagReview {

    @Inject
    FactStore facts;

    @Inject
    FlagStore flags;

    @Inject
    FlagEvents events;

    public Uni<ReviewFlag> flag(UUID flagId) {
        return flags.byId(facts.client(), flagId).map(flag -> {
            if (flag == null) {
                throw new Refusal.NotFound("no such flag");
            }
            return flag;
        });
    }

    public Uni<ReviewFlag> acknowledge(UUID flagId, String by, String note) {
        return act(flagId, ReviewFlag.Status.OPEN, ReviewFlag.Status.ACKNOWLEDGED, by, note, EventTypes.FLAG_ACKNOWLEDGED);
    }

    public Uni<ReviewFlag> resolve(UUID flagId, String by, String note) {
        return flags.byId(facts.client(), flagId).chain(flag -> {
            if (flag == null) {
                throw new Refusal.NotFound("no such flag");
            }
            if (flag.status() == ReviewFlag.Status.RESOLVED) {
                throw new Refusal.Conflict("flag " + flagId + " is already resolved");
            }
            return act(flagId, flag.status(), ReviewFlag.Status.RESOLVED, by, note, EventTypes.FLAG_RESOLVED);
        });
    }

    private Uni<ReviewFlag> act(UUID flagId, ReviewFlag.Status from, ReviewFlag.Status to, String by, String note,
                                String eventType) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        // the patient's lock first, as evaluations take it: no evaluation attaches evidence to a flag it read as
        // active while it is being resolved, and the flag read next is as evaluations left it
        return facts.inTransaction(tx -> flags.byId(tx, flagId).chain(found -> found == null ? Uni.createFrom().<ReviewFlag>nullItem()
                : facts.lockPatients(tx, List.of(found.patientId())).chain(() -> flags.byId(tx, flagId))).chain(flag -> {
            if (flag == null) {
                throw new Refusal.NotFound("no such flag");
            }
            return flags.transition(tx, flagId, from, to, by, now, note).chain(moved -> {
                if (!moved) {
                    throw new Refusal.Conflict("flag " + flagId + " is " + flag.status() + ", not " + from);
                }
                return facts.currentEnrollments(tx, List.of(flag.patientId())).chain(current -> {
                    Facts.Enrollment e = current.get(flag.patientId());
                    return events.publish(tx, eventType, flag, e == null ? null : e.clinicianId(), now, by, note);
                });
            }).chain(() -> flags.byId(tx, flagId));
        }));
    }
}
