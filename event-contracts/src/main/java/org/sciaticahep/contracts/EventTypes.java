package org.sciaticahep.contracts;

import java.util.List;
import org.sciaticahep.contracts.catalog.ExerciseDefinition;
import org.sciaticahep.contracts.catalog.ProgramDefinition;
import org.sciaticahep.contracts.insights.FlagChanged;
import org.sciaticahep.contracts.session.EnrollmentEnded;
import org.sciaticahep.contracts.session.EnrollmentStarted;
import org.sciaticahep.contracts.session.ExerciseCompleted;
import org.sciaticahep.contracts.session.PainReported;
import org.sciaticahep.contracts.session.PatientErased;
import org.sciaticahep.contracts.session.PrescriptionChanged;

/** The {@code ce_type} of every event the services exchange, and what each carries on which topic. */
public final class EventTypes {

    public static final String EXERCISE_DEFINED = "exercise.defined";
    public static final String PROGRAM_DEFINED = "program.defined";

    public static final String EXERCISE_COMPLETED = "exercise.completed";
    public static final String PAIN_REPORTED = "pain.reported";
    public static final String ENROLLMENT_STARTED = "enrollment.started";
    public static final String ENROLLMENT_ENDED = "enrollment.ended";
    public static final String PRESCRIPTION_CHANGED = "prescription.changed";
    public static final String PATIENT_ERASED = "patient.erased";

    public static final String FLAG_RAISED = "flag.raised";
    public static final String FLAG_ACKNOWLEDGED = "flag.acknowledged";
    public static final String FLAG_RESOLVED = "flag.resolved";
    public static final String FLAG_WITHDRAWN = "flag.withdrawn";
    /** A flag in the queue became more (or, after late reports, less) severe: its severity is the new one. */
    public static final String FLAG_SEVERITY_CHANGED = "flag.severity-changed";

    /** A type of event: its JSON body is a {@code payload}, on {@code topic}. */
    public record Message(String type, Class<? extends Record> payload, Topics.TopicSpec topic) {
    }

    /** Every type, in the order above (docs/asyncapi.yaml and docs/schemas/ say the same, checked by a test). */
    public static final List<Message> ALL = List.of(
            new Message(EXERCISE_DEFINED, ExerciseDefinition.class, Topics.EXERCISE_CATALOG),
            new Message(PROGRAM_DEFINED, ProgramDefinition.class, Topics.PROGRAM_CATALOG),
            new Message(EXERCISE_COMPLETED, ExerciseCompleted.class, Topics.SESSION_EVENTS),
            new Message(PAIN_REPORTED, PainReported.class, Topics.SESSION_EVENTS),
            new Message(ENROLLMENT_STARTED, EnrollmentStarted.class, Topics.SESSION_EVENTS),
            new Message(ENROLLMENT_ENDED, EnrollmentEnded.class, Topics.SESSION_EVENTS),
            new Message(PRESCRIPTION_CHANGED, PrescriptionChanged.class, Topics.SESSION_EVENTS),
            new Message(PATIENT_ERASED, PatientErased.class, Topics.SESSION_EVENTS),
            new Message(FLAG_RAISED, FlagChanged.class, Topics.REVIEW_FLAGS),
            new Message(FLAG_ACKNOWLEDGED, FlagChanged.class, Topics.REVIEW_FLAGS),
            new Message(FLAG_RESOLVED, FlagChanged.class, Topics.REVIEW_FLAGS),
            new Message(FLAG_WITHDRAWN, FlagChanged.class, Topics.REVIEW_FLAGS),
            new Message(FLAG_SEVERITY_CHANGED, FlagChanged.class, Topics.REVIEW_FLAGS));

    private EventTypes() {
    }
}
