package org.sciaticahep.contracts.catalog;

import java.time.DayOfWeek;
import java.util.Set;

/** When a program's exercises are expected: so many times on each of the given days (CareKit's schedule). */
public record Schedule(Integer timesPerDay, Set<DayOfWeek> daysOfWeek) {
}
