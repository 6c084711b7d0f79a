package org.sciaticahep.insights.domain;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.UUID;

/**
 * Everything the rules look at for one evaluation of one patient, as plain values: the enrollment (null when there is
 * none in force), the prescription, the daily aggregates of the days the scope's windows and the baseline need, the
 * single pain reports of the days whose report rules are derived, and the first pain at each place.
 *
 * @param firstPain place ({@code LOCATION/SIDE}) → the id of the first report of pain there
 */
public record PatientWindow(String patientId, Facts.Enrollment enrollment, ZoneId zone, Prescription prescription,
                            NavigableMap<LocalDate, PatientDay> days, List<Facts.PainScore> reports,
                            Map<String, UUID> firstPain, LocalDate today) {

    public LocalDate localDate(java.time.Instant at) {
        return at.atZone(zone).toLocalDate();
    }
}
