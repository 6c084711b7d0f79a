package org.sciaticahep.session.domain;

import java.util.List;
import org.sciaticahep.contracts.session.SessionEventContract;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Violation;
import org.sciaticahep.support.Violations;

/** Patient and clinician ids are opaque to this system, but bounded and free of anything that is not an id. */
public final class Ids {

    private Ids() {
    }

    public static boolean valid(String id) {
        return SessionEventContract.validId(id);
    }

    /** A malformed id in the path ends the request with 400. */
    public static void checkPath(String id, String name) {
        if (!valid(id)) {
            throw ProblemException.malformed(List.of(Violation.of(name, "must be 1-64 letters, digits, '.', '_' or '-'")),
                    name + " is not a valid id");
        }
    }

    static void check(String id, String field, Violations v) {
        if (v.present(id, field)) {
            v.check(valid(id), field, "must be 1-64 letters, digits, '.', '_' or '-'");
        }
    }
}
