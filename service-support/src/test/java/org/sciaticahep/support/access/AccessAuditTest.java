package org.sciaticahep.support.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a read's answer says of the access: allowed, refused, nothing there, or nothing read at all (not recorded). */
class AccessAuditTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(nullValues = "none", value = {
            "199, none", "200, ALLOWED", "204, ALLOWED", "299, ALLOWED",
            "303, REFUSED", "399, REFUSED", "400, none", "401, REFUSED", "403, REFUSED", "404, NOT_FOUND",
            "409, none", "422, none", "500, none", "503, none"})
    void outcomeOfAStatus(int status, AccessLog.Outcome outcome) {
        assertEquals(outcome, AccessAudit.outcome(status));
    }
}
