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
 * single pain reports of the days whose report rules are derived, the first pain at each place, and the latest local day
 * with any exercise or pain report.
 *
 * @param firstPain     place ({@code LOCATION/SIDE}) → the id of the first report of pain there
 * @param lastActiveDay the latest local day with an exercise or a pain report; null when there is none
 */
public record PatientWindow(String patientId, Facts.Enrollment enrollment, ZoneId zone, Prescription prescription,
                            NavigableMap<LocalDate, PatientDay> days, List<Facts.PainScore> reports,
                            Map<String, UUID> firstPain, LocalDate lastActiveDay, LocalDate today) {

    public LocalDate localDate(java.time.Instant at) {
        return at.atZone(zone).toLocalDate();
    }
}
