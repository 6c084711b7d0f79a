package org.sciaticahep.session.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sciaticahep.session.domain.EventRulesTest.fieldsOf;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sciaticahep.contracts.session.EnrollmentEnded;
import org.sciaticahep.contracts.session.SessionEventContract;
import org.sciaticahep.support.Violations;

/**
 * The patient's last day of care a clinician may give ({@link Enrollments#lastDayOfCare}), at and around each bound:
 * the start, or today if earlier; at most 365 days back; today. What is accepted, every consumer of session-events
 * accepts in {@code enrollment.ended}, also from a zone where today is a day behind UTC's.
 */
class EndOfCareRulesTest {

    static final LocalDate TODAY = LocalDate.parse("2026-11-30");

    @ParameterizedTest(name = "started {0}, last day {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            2026-11-28 | 2026-11-30 | true
            2026-11-28 | 2026-11-28 | true
            2026-11-28 | 2026-11-27 | false
            2026-11-28 | 2026-12-01 | false
            2026-12-10 | 2026-11-30 | true
            2026-12-10 | 2026-11-29 | false
            2025-11-30 | 2025-11-30 | true
            2025-11-29 | 2025-11-30 | true
            2025-11-29 | 2025-11-29 | false
            2025-01-01 | 2025-11-30 | true
            2025-01-01 | 2025-11-29 | false
            2025-01-01 | 2025-01-01 | false
            """)
    void theLastDayOfCareIsFromTheStartAtMostAYearBackToToday(LocalDate start, LocalDate last, boolean accepted) {
        Violations found = Violations.collect();
        Enrollments.lastDayOfCare(last, start, TODAY, found);
        assertEquals(accepted ? List.of() : List.of("endDate"), fieldsOf(found.list()));
        if (accepted) {
            EnrollmentEnded ended = new EnrollmentEnded(UUID.randomUUID(), "p-001", TODAY.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC),
                    UUID.randomUUID(), "c-001", "RECOVERED", last);
            assertEquals(List.of(), SessionEventContract.violations(ended));
        }
    }

    @ParameterizedTest(name = "today {0}, last day {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            2028-02-29 | 2027-03-01 | true
            2028-03-01 | 2027-03-01 | false
            2028-03-01 | 2027-03-02 | true
            """)
    void aYearBackOver29FebruaryIs365Days(LocalDate today, LocalDate last, boolean accepted) {
        Violations found = Violations.collect();
        Enrollments.lastDayOfCare(last, LocalDate.parse("2026-01-01"), today, found);
        assertEquals(accepted ? List.of() : List.of("endDate"), fieldsOf(found.list()));
    }
}
