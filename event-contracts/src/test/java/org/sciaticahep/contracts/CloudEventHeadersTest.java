package org.sciaticahep.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The direct reading of a time attribute agrees with {@link Instant#parse} on every form, and refuses what it refuses. */
class CloudEventHeadersTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "2026-12-03T20:20:14Z", "2026-12-03T20:20:14.1Z", "2026-12-03T20:20:14.12Z", "2026-12-03T20:20:14.167Z",
            "2026-12-03T20:20:14.167975Z", "2026-12-03T20:20:14.123456789Z", "2026-12-03T20:20:14.000000001Z",
            "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
            "2024-02-29T12:00:00Z", "2000-02-29T00:00:00Z", "2026-03-29T01:30:00Z", "2026-12-31T23:59:59Z",
            // not the usual form: the general parser's answer
            "2026-12-03t20:20:14z", "2026-12-03T20:20:14+01:00", "+10000-01-01T00:00:00Z", "2026-12-31T23:59:60Z",
            "2026-12-03T24:00:00Z", "2026-12-03T20:20:14.Z", "0000-02-29T00:00:00Z"})
    void readsEveryFormAsInstantParseDoes(String value) {
        assertEquals(Instant.parse(value), CloudEventHeaders.instant(value));
    }

    /** Random instants as written, and each with one character changed: the same answer, or both refuse. */
    @Test
    void agreesWithInstantParseOnRandomInputs() {
        Random random = new Random(20261203);
        String alphabet = "0123456789-:.TZtz+ ";
        for (int i = 0; i < 20_000; i++) {
            long nanos = random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000) / (int) Math.pow(10, random.nextInt(9));
            String written = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L), nanos).toString();
            assertEquals(Instant.parse(written), CloudEventHeaders.instant(written), written);
            char[] changed = written.toCharArray();
            changed[random.nextInt(changed.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            String value = new String(changed);
            Instant expected;
            try {
                expected = Instant.parse(value);
            } catch (DateTimeException refused) {
                assertThrows(DateTimeException.class, () -> CloudEventHeaders.instant(value), value);
                continue;
            }
            assertEquals(expected, CloudEventHeaders.instant(value), value);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
            "2026-12-00T00:00:00Z", "2026-12-03T20:60:00Z", "2026-12-03T20:20:61Z",
            "2026-12-03T20:20:14.1234567890Z", "2026-12-03T20:20:1xZ", "2026-12-03T2a:20:14Z",
            "2026-12-03T20:20:14.12a4Z", "2026-12-03 20:20:14Z", "2026-12-03T20:20:14", "", "not a time",
            "1900-02-29T00:00:00Z", "2026-12-03T20:20:14.1ZZ", "2026-12-03T20:20:1\uFF14Z", "\u0662026-12-03T20:20:14Z",
            "-001-01-01T00:00:00Z"})
    void refusesWhatInstantParseRefuses(String value) {
        assertThrows(DateTimeException.class, () -> Instant.parse(value));
        assertThrows(DateTimeException.class, () -> CloudEventHeaders.instant(value));
    }
}
