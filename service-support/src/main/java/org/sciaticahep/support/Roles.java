package org.sciaticahep.support;

/** The roles a bearer token may carry in its {@code groups} claim. */
public final class Roles {

    /** A patient's app; the token's subject is the patientId. */
    public static final String PATIENT = "patient";
    /** A clinician; the token's subject is the clinicianId. */
    public static final String CLINICIAN = "clinician";
    /** Writes exercise definitions and program templates. */
    public static final String CATALOG_EDITOR = "catalog-editor";
    /** Reads metrics ({@code /q/metrics}) only: the token monitoring keeps (Prometheus) can change nothing. */
    public static final String OPS = "ops";
    /** Runs maintenance (insights' rebuild) and exports a patient's record when the clinic moves it; reads no metrics. */
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
