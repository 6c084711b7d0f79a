package org.sciaticahep.contracts.session;

/** Which side of the body: a per-side exercise done on one leg, or where pain is felt. */
public enum Side {
    LEFT,
    RIGHT,
    BOTH
}
