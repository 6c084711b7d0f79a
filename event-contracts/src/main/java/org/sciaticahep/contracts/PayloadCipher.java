package org.sciaticahep.contracts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM as the system uses it: a fresh random 96-bit nonce per message, a 128-bit tag, and associated data that
 * binds a ciphertext to where it belongs (a record's patient, event id and type; a wrapped key's patient), so a
 * ciphertext moved to another record or patient does not open. Sealed form: nonce ‖ ciphertext ‖ tag.
 */
public final class PayloadCipher {

    public static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PayloadCipher() {
    }

    /** A new random 256-bit key. */
    public static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    /** What a record's payload is bound to: it opens only as this patient's event of this id and type. */
    public static String recordContext(String patientId, String eventId, String type) {
        return "session-event\n" + patientId + "\n" + eventId + "\n" + type;
    }

    /** What a wrapped data key is bound to: it unwraps only as this patient's. */
    public static String keyContext(String patientId) {
        return "patient-key\n" + patientId;
    }

    /** A record's JSON body sealed under the patient's data key, as base64 text (the record's value). */
    public static String sealText(byte[] key, String plaintext, String context) {
        return Base64.getEncoder().encodeToString(seal(key, plaintext.getBytes(StandardCharsets.UTF_8), context));
    }

    /** The JSON body back; fails ({@link Unreadable}) for a wrong key, a wrong context or any changed byte. */
    public static String openText(byte[] key, String sealed, String context) {
        return new String(openBody(key, sealed, context), StandardCharsets.UTF_8);
    }

    /** As {@link #openText}, the body's UTF-8 bytes (for a parser that reads bytes: no copy as text). */
    public static byte[] openBody(byte[] key, String sealed, String context) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new Unreadable("not base64");
        }
        return open(key, bytes, context);
    }

    public static byte[] seal(byte[] key, byte[] plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher gcm = cipher(Cipher.ENCRYPT_MODE, key, nonce, context);
            byte[] sealed = gcm.doFinal(plaintext);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public static byte[] open(byte[] key, byte[] sealed, String context) {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new Unreadable("too short");
        }
        try {
            Cipher gcm = cipher(Cipher.DECRYPT_MODE, key, java.util.Arrays.copyOf(sealed, NONCE_BYTES), context);
            return gcm.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new Unreadable("does not open with this key and context");
        } catch (GeneralSecurityException e) {
            throw new Unreadable(e.getClass().getSimpleName());
        }
    }

    /**
     * The provider of AES/GCM, looked up once: looking it up for every record was 2-3 % of a replay's CPU. A cipher
     * is still made for each value and dropped after, so no key (nor its schedule) outlives the call.
     */
    private static final java.security.Provider GCM_PROVIDER;

    static {
        try {
            GCM_PROVIDER = Cipher.getInstance("AES/GCM/NoPadding").getProvider();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce, String context) throws GeneralSecurityException {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("an AES-256 key has " + KEY_BYTES + " bytes, not " + key.length);
        }
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding", GCM_PROVIDER);
        gcm.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        gcm.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return gcm;
    }

    /** A sealed value that does not open: wrong key, wrong context, or altered. Never says more. */
    public static final class Unreadable extends RuntimeException {
        public Unreadable(String why) {
            super(why, null, false, false);
        }
    }
}
