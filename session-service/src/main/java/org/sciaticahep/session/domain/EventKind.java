package org.sciaticahep.session.domain;

import org.sciaticahep.contracts.EventTypes;

/** The kinds of session event, as apps name them, and the CloudEvents type each is published as. */
public enum EventKind {
    EXERCISE_COMPLETED(EventTypes.EXERCISE_COMPLETED),
    PAIN_REPORTED(EventTypes.PAIN_REPORTED),
    ENROLLMENT_STARTED(EventTypes.ENROLLMENT_STARTED),
    ENROLLMENT_ENDED(EventTypes.ENROLLMENT_ENDED),
    PRESCRIPTION_CHANGED(EventTypes.PRESCRIPTION_CHANGED);

    private final String cloudEventType;

    EventKind(String cloudEventType) {
        this.cloudEventType = cloudEventType;
    }

    public String cloudEventType() {
        return cloudEventType;
    }

    public static EventKind ofCloudEventType(String type) {
        for (EventKind kind : values()) {
            if (kind.cloudEventType.equals(type)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(type);
    }
}
