package org.sciaticahep.session.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The one-time codes a clinician gives a patient with an invitation. Only a code's SHA-256 is stored; the code
 * itself is in the clinician's answer once and nowhere else. Letters and digits that are easy to tell apart when
 * read aloud or typed from paper (no I, L, O, 0, 1).
 */
public final class InviteCodes {

    static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    static final int LENGTH = 10;

    private static final SecureRandom RANDOM = new SecureRandom();

    private InviteCodes() {
    }

    public static String next() {
        StringBuilder code = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /** The hash kept for a code (hex). */
    public static String hash(String code) {
        return HexFormat.of().formatHex(digest(code));
    }

    /** Whether the presented code is the one hashed, compared in constant time. */
    public static boolean matches(String presented, String storedHash) {
        if (presented == null || storedHash == null) {
            return false;
        }
        return MessageDigest.isEqual(digest(presented), HexFormat.of().parseHex(storedHash));
    }

    /** As a patient may type it: lower case, with spaces or dashes between groups. */
    private static byte[] digest(String code) {
        String normalized = code.strip().replace(" ", "").replace("-", "").toUpperCase(Locale.ROOT);
        try {
            return MessageDigest.getInstance("SHA-256").digest(normalized.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
