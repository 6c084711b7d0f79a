package org.sciaticahep.support;

import java.util.List;

/** One page of rows and how many there are in all. */
public record Paged<T>(List<T> items, long total) {
}
