package org.sciaticahep.contracts.session;

/** Where along the sciatic nerve's path the pain is felt. */
public enum PainLocation {
    LOWER_BACK,
    BUTTOCK,
    THIGH,
    CALF,
    FOOT
}
