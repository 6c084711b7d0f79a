package org.sciaticahep.insights.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where alerts may go, when a failed one is tried again and when given up, and their signature. */
class AlertRulesTest {

    @ParameterizedTest(name = "{0} (loopback http allowed: {1}) -> {2}")
    @CsvSource(delimiter = '|', nullValues = "OK", textBlock = """
            https://alerts.clinic.example/hook            | false | OK
            https://alerts.clinic.example:8443/a?b=c       | false | OK
            HTTPS://alerts.clinic.example/hook            | false | OK
            https://10.1.2.3/pager                        | false | OK
            http://alerts.clinic.example/hook             | false | must be https
            http://alerts.clinic.example/hook             | true  | must be https (http only to this machine)
            ftp://alerts.clinic.example/hook              | false | must be https
            http://localhost:9000/hook                    | true  | OK
            http://127.0.0.1:9000/hook                    | true  | OK
            http://[::1]:9000/hook                        | true  | OK
            http://localhost:9000/hook                    | false | must be https
            https://localhost/hook                        | false | must not point at this machine
            https://127.0.0.1/hook                        | false | must not point at this machine
            https://169.254.169.254/latest/meta-data      | false | must not point at a link-local, loopback or unspecified address
            https://169.254.169.254/latest/meta-data      | true  | must not point at a link-local, loopback or unspecified address
            https://[fe80::1]/hook                        | false | must not point at a link-local, loopback or unspecified address
            https://0.0.0.0/hook                          | false | must not point at a link-local, loopback or unspecified address
            https://224.0.0.1/hook                        | false | must not point at a link-local, loopback or unspecified address
            https://user:secret@alerts.clinic.example/x   | false | must not carry credentials
            https://alerts.clinic.example/x#top           | false | must not have a fragment
            https://alerts.clinic.example:65535/x         | false | OK
            https://alerts.clinic.example:65536/x         | false | must have a port from 1 to 65535
            https://alerts.clinic.example:0/x             | false | must have a port from 1 to 65535
            /relative/hook                                | false | must be an absolute http(s) URL with a host
            https:///no-host                              | false | must be an absolute http(s) URL with a host
            'https://bad host/'                           | false | is not a URL
            ''                                            | false | is required
            """)
    void targets(String url, boolean allowLoopbackHttp, String refusal) {
        assertEquals(refusal, AlertRules.refusedTarget(url, allowLoopbackHttp));
    }

    @ParameterizedTest(name = "{0} characters -> {1}")
    @CsvSource(nullValues = "OK", textBlock = """
            2000, OK
            2001, must be at most 2000 characters
            """)
    void urlLength(int length, String refusal) {
        String prefix = "https://alerts.clinic.example/";
        assertEquals(refusal, AlertRules.refusedTarget(prefix + "a".repeat(length - prefix.length()), false));
    }

    @ParameterizedTest(name = "{0} -> internal {1}")
    @CsvSource(textBlock = """
            127.0.0.1,        true
            127.8.9.10,       true
            ::1,              true
            169.254.169.254,  true
            fe80::1,          true
            0.0.0.0,          true
            239.1.1.1,        true
            0.1.2.3,          true
            240.0.0.1,        true
            255.255.255.255,  true
            ::ffff:127.0.0.1, true
            100.64.0.1,       false
            fd00::1,          false
            10.0.0.1,         false
            192.168.1.20,     false
            93.184.216.34,    false
            2001:db8::1,      false
            """)
    void internalAddresses(String address, boolean internal) throws Exception {
        assertEquals(internal, AlertRules.internal(InetAddress.getByName(address)));
    }

    @ParameterizedTest(name = "after attempt {0}: wait {1} ms")
    @CsvSource(textBlock = """
            0,  10000
            1,  10000
            2,  20000
            3,  40000
            6,  320000
            7,  640000
            8,  900000
            9,  900000
            1000000, 900000
            """)
    void retryDoublesUpToTheMaximum(int attempts, long millis) {
        assertEquals(Duration.ofMillis(millis), AlertRules.retryDelay(attempts, Duration.ofSeconds(10), Duration.ofMinutes(15)));
    }

    @ParameterizedTest(name = "queued {0} s before now -> given up {1}")
    @CsvSource(textBlock = """
            0,     false
            86399, false
            86400, true
            86401, true
            """)
    void givenUpAfterRetryingForADay(long secondsAgo, boolean givenUp) {
        Instant now = Instant.parse("2026-03-29T01:30:00Z");
        assertEquals(givenUp, AlertRules.givenUp(now.minusSeconds(secondsAgo), now, Duration.ofHours(24)));
    }

    /** RFC 4231, test case 2: HMAC-SHA256 with key "Jefe" of "what do ya want for nothing?". */
    @Test
    void theMacIsHmacSha256() {
        byte[] body = "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8);
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                java.util.HexFormat.of().formatHex(AlertRules.hmac("Jefe", body)));
    }

    /** The signature covers the timestamp, a dot and the exact body: changing any of them changes it. */
    @Test
    void theSignatureCoversTimestampAndBody() {
        byte[] body = "{\"flagId\":\"f\"}".getBytes(StandardCharsets.UTF_8);
        String signed = AlertRules.signature("Jefe", 1_790_000_000L, body);
        assertEquals("sha256=" + java.util.HexFormat.of().formatHex(AlertRules.hmac("Jefe",
                "1790000000.{\"flagId\":\"f\"}".getBytes(StandardCharsets.UTF_8))), signed);
        assertNotEquals(signed, AlertRules.signature("Jefe", 1_790_000_001L, body), "a replay with a new timestamp");
        body[2] = 'F';
        assertNotEquals(signed, AlertRules.signature("Jefe", 1_790_000_000L, body), "another body");
        assertNotEquals(signed, AlertRules.signature("Jeff", 1_790_000_000L, "{\"flagId\":\"f\"}".getBytes(StandardCharsets.UTF_8)));
    }

    /** Failed attempts as their owner sees them: a kind, never which name, port or certificate failed how. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            java.net.ConnectException                 | unreachable
            java.net.UnknownHostException             | unreachable
            java.io.EOFException                      | unreachable
            java.net.http.HttpConnectTimeoutException | timeout
            java.net.http.HttpTimeoutException        | timeout
            java.util.concurrent.TimeoutException     | timeout
            javax.net.ssl.SSLHandshakeException       | tls
            java.lang.IllegalStateException           | failed
            """)
    void outcomes(String failure, String outcome) throws Exception {
        Throwable t = (Throwable) Class.forName(failure).getConstructor(String.class).newInstance("x");
        assertEquals(outcome, AlertRules.outcome(t));
        assertEquals(outcome, AlertRules.outcome(new java.util.concurrent.CompletionException(t)), "unwrapped");
    }
}
