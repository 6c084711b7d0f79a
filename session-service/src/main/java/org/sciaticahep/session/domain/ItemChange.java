package org.sciaticahep.session.domain;

/** What the treating clinician does to one exercise of a prescription without rewriting it (see {@link PrescriptionRules#after}). */
public enum ItemChange {
    PAUSE,
    RESUME,
    STOP
}
