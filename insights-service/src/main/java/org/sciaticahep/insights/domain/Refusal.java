package org.sciaticahep.insights.domain;

import java.util.List;
import org.sciaticahep.support.Violation;

/** Why the domain refuses a request, in its own words; {@code api/} turns each into a problem+json answer. */
public abstract class Refusal extends RuntimeException {

    protected Refusal(String message) {
        super(message, null, false, false);
    }

    /** Nothing of that id, or nothing the caller may see (the two look alike). */
    public static final class NotFound extends Refusal {
        public NotFound(String message) {
            super(message);
        }
    }

    /** The thing is not in the state the request needs. */
    public static final class Conflict extends Refusal {
        public Conflict(String message) {
            super(message);
        }
    }

    /** The request's values are out of bounds; each violation names its field. */
    public static final class Invalid extends Refusal {
        private final transient List<Violation> violations;

        public Invalid(List<Violation> violations, String message) {
            super(message);
            this.violations = List.copyOf(violations);
        }

        public List<Violation> violations() {
            return violations;
        }
    }
}
