package org.sciaticahep.support;

import java.util.List;

/** One page of a list: which page (from 0), its size, how many items there are in all, and the items. */
public record Page<T>(int page, int size, long total, List<T> items) {

    public static final int MAX_SIZE = 500;
    /** OFFSET walks every row before the page: bounded, so a caller cannot choose the work. */
    public static final int MAX_OFFSET = 10_000;

    public static <T> Page<T> of(int page, int size, Paged<T> rows) {
        return new Page<>(page, size, rows.total(), rows.items());
    }

    /** Refuses a page or size out of bounds (400 naming the parameter); answers the offset. */
    public static long offset(int page, int size, String pageName, String sizeName) {
        Violations v = Violations.collect();
        v.check(size >= 1 && size <= MAX_SIZE, sizeName, "must be between 1 and " + MAX_SIZE);
        v.check(page >= 0 && (long) page * size <= MAX_OFFSET, pageName, "must be between 0 and " + MAX_OFFSET + " / size");
        if (!v.isEmpty()) {
            throw ProblemException.malformed(v.list(), "invalid query parameters");
        }
        return (long) page * size;
    }
}
