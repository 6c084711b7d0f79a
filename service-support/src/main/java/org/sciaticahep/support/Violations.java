package org.sciaticahep.support;

import java.util.ArrayList;
import java.util.List;

/** Collects every violation of a request before answering, so a client learns all bad fields at once. */
public final class Violations {

    private final List<Violation> found;
    private final Integer index;
    private final String prefix;

    private Violations(List<Violation> found, Integer index, String prefix) {
        this.found = found;
        this.index = index;
        this.prefix = prefix;
    }

    public static Violations collect() {
        return new Violations(new ArrayList<>(), null, "");
    }

    /** Violations of the item at {@code index} of a batch, written into {@code batch}'s list. */
    public Violations forItem(int itemIndex) {
        return new Violations(found, itemIndex, "");
    }

    /** A view that names fields below {@code path} (e.g. {@code dosage}) and writes into the same list. */
    public Violations under(String path) {
        return new Violations(found, index, prefix + path + ".");
    }

    public Violations add(String field, String reason) {
        found.add(new Violation(index, prefix + field, reason));
        return this;
    }

    /** Records a violation unless {@code ok}; returns {@code ok} so callers can skip dependent checks. */
    public boolean check(boolean ok, String field, String reason) {
        if (!ok) {
            add(field, reason);
        }
        return ok;
    }

    public boolean present(Object value, String field) {
        return check(value != null, field, "is required");
    }

    public boolean notBlank(String value, String field, int maxLength) {
        if (!check(value != null && !value.isBlank(), field, "must not be empty")) {
            return false;
        }
        return check(value.length() <= maxLength, field, "must be at most " + maxLength + " characters");
    }

    public List<Violation> list() {
        return List.copyOf(found);
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    /** Ends the request with 422 if anything was found. */
    public void throwIfAny() {
        if (!found.isEmpty()) {
            throw ProblemException.invalid(found);
        }
    }
}
