package org.sciaticahep.insights.domain;

import java.util.Comparator;
import java.util.Locale;
import java.util.function.Function;

/**
 * The orders the patient list can be sorted in: one per column. The first three are the enrollment's own and are
 * sorted by the database over any caseload; the others are figures worked out per patient, so the list sorts the
 * whole caseload by them in memory, which it does for at most {@link #IN_MEMORY_LIMIT} patients (a search narrows it).
 * Ties, and patients without the figure (shown last either way), go in patient id order.
 */
public enum PatientOrder {
    PATIENT(true, Row::patientId),
    PROGRAM(true, Row::programId),
    DAY(true, Row::day),
    ADHERENCE_7(false, Row::adherence7),
    ADHERENCE_28(false, Row::adherence28),
    PAIN_BASELINE(false, Row::painBaseline),
    PAIN_LAST_7(false, Row::painLast7),
    PAIN_CHANGE(false, Row::painChange),
    /** The worst open flag first, then the most flags. */
    FLAGS(false, r -> r.flagsWaiting() == 0 ? null : (double) (r.worstRank() * 1_000_000L - r.flagsWaiting())),
    PAUSED(false, Row::paused),
    SUGGESTIONS(false, Row::suggestionCount);

    public static final int IN_MEMORY_LIMIT = 2_000;

    /** What a row gives the orders: the patient list's figures. */
    public interface Row {
        String patientId();

        String programId();

        long day();

        Double adherence7();

        Double adherence28();

        Double painBaseline();

        Double painLast7();

        Double painChange();

        long flagsWaiting();

        /** The worst open flag's rank: 0 the most severe. */
        int worstRank();

        int paused();

        int suggestionCount();
    }

    private final boolean byDatabase;
    private final Function<Row, ? extends Comparable<?>> key;

    PatientOrder(boolean byDatabase, Function<Row, ? extends Comparable<?>> key) {
        this.byDatabase = byDatabase;
        this.key = key;
    }

    public boolean byDatabase() {
        return byDatabase;
    }

    /** The parameter's value: {@code adherence-7} for ADHERENCE_7. */
    public String parameter() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The order a parameter names; null for none of them. */
    public static PatientOrder of(String parameter) {
        for (PatientOrder o : values()) {
            if (o.parameter().equals(parameter)) {
                return o;
            }
        }
        return null;
    }

    /**
     * Rows in this order ({@code descending}: the other way), rows without the figure last, then by patient id. FLAGS
     * ascending puts the worst first, as the review queue does.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <R extends Row> Comparator<R> comparator(boolean descending) {
        Comparator<Comparable> values = descending ? Comparator.<Comparable>reverseOrder() : Comparator.<Comparable>naturalOrder();
        Comparator<R> byKey = Comparator.comparing(r -> (Comparable) key.apply(r), Comparator.nullsLast(values));
        return byKey.thenComparing(Row::patientId);
    }
}
