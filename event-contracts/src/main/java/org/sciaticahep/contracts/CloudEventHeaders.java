package org.sciaticahep.contracts;

/**
 * CloudEvents 1.0 Kafka protocol binding, binary mode: the attributes travel as Kafka headers,
 * the payload is the plain JSON body.
 */
public final class CloudEventHeaders {

    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String SPEC_VERSION = "ce_specversion";
    /** Extension attribute: when the producing service accepted the event (ISO-8601), for processing delays. */
    public static final String RECORDED_AT = "ce_recordedat";
    public static final String CONTENT_TYPE = "content-type";
    /**
     * Extension attribute: the value is not the JSON body itself but {@link #A256GCM} of it under the patient's data
     * key (crypto-shredding, docs/architecture.md). Absent: the value is the body in the clear.
     */
    public static final String ENCRYPTION = "ce_encryption";
    /** The value is base64 of a 12-byte nonce followed by AES-256-GCM's ciphertext and 16-byte tag of the body. */
    public static final String A256GCM = "A256GCM";

    public static final String SPEC_VERSION_VALUE = "1.0";
    public static final String JSON = "application/json";

    private CloudEventHeaders() {
    }
}
