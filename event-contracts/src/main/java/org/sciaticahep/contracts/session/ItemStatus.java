package org.sciaticahep.contracts.session;

/** Where a prescribed exercise stands: expected, paused (expected again once resumed) or stopped (not any more). */
public enum ItemStatus {
    ACTIVE,
    PAUSED,
    STOPPED
}
