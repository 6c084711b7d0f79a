package org.sciaticahep.contracts;

import java.time.Instant;
import java.time.LocalDate;

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

    /**
     * A time attribute's value (ce_recordedat, as {@link Instant#toString()} writes it). The usual form,
     * {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, is read directly: java.time's general parser was 7 % of insights' CPU
     * in a replay. Any other form goes to {@link Instant#parse}, and is refused as it refuses it.
     */
    public static Instant instant(String value) {
        int n = value.length();
        if (n < 20 || n == 21 || n > 30 || value.charAt(4) != '-' || value.charAt(7) != '-' || value.charAt(10) != 'T'
                || value.charAt(13) != ':' || value.charAt(16) != ':' || value.charAt(n - 1) != 'Z' || n > 20 && value.charAt(19) != '.') {
            return Instant.parse(value);
        }
        int year = digits(value, 0, 4);
        int month = digits(value, 5, 7);
        int day = digits(value, 8, 10);
        int hour = digits(value, 11, 13);
        int minute = digits(value, 14, 16);
        int second = digits(value, 17, 19);
        int fraction = n > 20 ? digits(value, 20, n - 1) : 0;
        LocalDate first = year < 0 || month < 1 || month > 12 ? null : LocalDate.of(year, month, 1);
        if (first == null || day < 1 || day > first.lengthOfMonth() || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || fraction < 0) {
            // 24:00, a leap second, an invalid date or a stray character: the general parser decides
            return Instant.parse(value);
        }
        long nanos = fraction;
        for (int digits = n > 20 ? n - 21 : 9; digits < 9; digits++) {
            nanos *= 10;
        }
        long seconds = (first.toEpochDay() + day - 1) * 86_400L + hour * 3_600L + minute * 60L + second;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** The decimal number in value[from, to), or -1 if a character is not a digit. */
    private static int digits(String value, int from, int to) {
        int number = 0;
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            number = number * 10 + (c - '0');
        }
        return number;
    }
}
