package org.sciaticahep.contracts.catalog;

/** An inclusive range such as "8–10 repetitions" or "hold 10–30 seconds"; min 0 means "up to max, as comfortable". */
public record Range(Integer min, Integer max) {

    public static Range of(int min, int max) {
        return new Range(min, max);
    }
}
