package org.sciaticahep.contracts;

/** The {@code ce_type} of every event the services exchange. */
public final class EventTypes {

    public static final String EXERCISE_DEFINED = "exercise.defined";
    public static final String PROGRAM_DEFINED = "program.defined";

    public static final String EXERCISE_COMPLETED = "exercise.completed";
    public static final String PAIN_REPORTED = "pain.reported";
    public static final String ENROLLMENT_STARTED = "enrollment.started";
    public static final String ENROLLMENT_ENDED = "enrollment.ended";
    public static final String PRESCRIPTION_CHANGED = "prescription.changed";

    public static final String FLAG_RAISED = "flag.raised";
    public static final String FLAG_ACKNOWLEDGED = "flag.acknowledged";
    public static final String FLAG_RESOLVED = "flag.resolved";
    public static final String FLAG_WITHDRAWN = "flag.withdrawn";
    /** A flag in the queue became more (or, after late reports, less) severe: its severity is the new one. */
    public static final String FLAG_SEVERITY_CHANGED = "flag.severity-changed";

    private EventTypes() {
    }
}
