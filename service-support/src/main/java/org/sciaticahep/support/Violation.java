package org.sciaticahep.support;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One thing wrong with a request.
 *
 * @param index  position of the offending item in a batch request; null for a single object
 * @param field  JSON path of the field inside that item, e.g. {@code dosage.reps.min}
 * @param reason what is wrong, in words a client developer can act on
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Violation(Integer index, String field, String reason) {

    public static Violation of(String field, String reason) {
        return new Violation(null, field, reason);
    }
}
