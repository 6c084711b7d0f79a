package org.sciaticahep.stack;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A test's request made by someone: a patient's app, a clinician, a catalog editor, ops, admin, with tokens of the
 * test run; or by someone whose token must be refused.
 */
public final class As {

    private As() {
    }

    public static RequestSpecification patient(String patientId) {
        return bearer(StackTestResource.tokens().patient(patientId));
    }

    public static RequestSpecification clinician(String clinicianId) {
        return bearer(StackTestResource.tokens().clinician(clinicianId));
    }

    public static RequestSpecification catalogEditor() {
        return bearer(StackTestResource.tokens().catalogEditor());
    }

    public static RequestSpecification ops() {
        return bearer(StackTestResource.tokens().ops());
    }

    public static RequestSpecification admin() {
        return bearer(StackTestResource.tokens().admin());
    }

    public static RequestSpecification bearer(String token) {
        return RestAssured.given().auth().oauth2(token);
    }

    /**
     * A caller as the security tables name them: {@code none}, {@code patient:ID}, {@code clinician:ID},
     * {@code catalog-editor}, {@code ops}, {@code admin}; or a token to be refused, which carries every role so that
     * only its defect can be the reason: {@code expired:ID}, {@code forged:ID} (signed by another key),
     * {@code wrong-issuer:ID}, {@code wrong-audience:ID}.
     */
    public static RequestSpecification caller(String name) {
        String[] parts = name.split(":", 2);
        String subject = parts.length == 2 ? parts[1] : parts[0] + "-1";
        Tokens tokens = StackTestResource.tokens();
        return switch (parts[0]) {
            case "none" -> RestAssured.given();
            case Tokens.PATIENT, Tokens.CLINICIAN, Tokens.CATALOG_EDITOR, Tokens.OPS, Tokens.ADMIN ->
                    bearer(tokens.mint(parts[0], subject, Duration.ofMinutes(10)));
            case "expired" -> bearer(tokens.sign(everyRole(subject, Duration.ofMinutes(-10))));
            case "forged" -> bearer(Forger.KEYS.sign(everyRole(subject, Duration.ofMinutes(10))));
            case "wrong-issuer" -> bearer(tokens.sign(with(everyRole(subject, Duration.ofMinutes(10)), "iss", "https://elsewhere.example")));
            case "wrong-audience" -> bearer(tokens.sign(with(everyRole(subject, Duration.ofMinutes(10)), "aud", "another-app")));
            default -> throw new IllegalArgumentException("unknown caller " + name);
        };
    }

    private static Map<String, Object> everyRole(String subject, Duration lifetime) {
        return with(Tokens.claims(Tokens.PATIENT, subject, lifetime), "groups",
                List.of(Tokens.PATIENT, Tokens.CLINICIAN, Tokens.CATALOG_EDITOR, Tokens.OPS, Tokens.ADMIN));
    }

    private static Map<String, Object> with(Map<String, Object> claims, String name, Object value) {
        claims.put(name, value);
        return claims;
    }

    /** Someone else's key pair, made once per test JVM. */
    private static final class Forger {
        static final Tokens KEYS;

        static {
            try {
                KEYS = Tokens.inDirectory(Files.createTempDirectory("forged-keys"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
