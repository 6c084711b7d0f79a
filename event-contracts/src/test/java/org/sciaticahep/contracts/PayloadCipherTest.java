package org.sciaticahep.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class PayloadCipherTest {

    static final byte[] KEY = PayloadCipher.newKey();
    static final String BODY = "{\"patientId\":\"p-1\",\"score\":7,\"redFlags\":[\"LEG_WEAKNESS\"]}";
    static final String CONTEXT = PayloadCipher.recordContext("p-1", "11111111-1111-1111-1111-111111111111", "pain.reported");

    @Test
    void aSealedBodyOpensWithItsKeyAndContextAndShowsNothingOfItself() {
        String sealed = PayloadCipher.sealText(KEY, BODY, CONTEXT);
        assertEquals(BODY, PayloadCipher.openText(KEY, sealed, CONTEXT));
        assertFalse(sealed.contains("score") || sealed.contains("LEG_WEAKNESS"), sealed);
        // a fresh nonce each time: the same body never looks the same twice
        assertNotEquals(sealed, PayloadCipher.sealText(KEY, BODY, CONTEXT));
    }

    static Stream<Arguments> whatDoesNotOpen() {
        String sealed = PayloadCipher.sealText(KEY, BODY, CONTEXT);
        byte[] raw = Base64.getDecoder().decode(sealed);
        return Stream.of(
                Arguments.of("another patient's key", PayloadCipher.newKey(), sealed, CONTEXT),
                Arguments.of("moved to another patient", KEY, sealed, PayloadCipher.recordContext("p-2", "11111111-1111-1111-1111-111111111111", "pain.reported")),
                Arguments.of("moved to another event id", KEY, sealed, PayloadCipher.recordContext("p-1", "22222222-2222-2222-2222-222222222222", "pain.reported")),
                Arguments.of("presented as another type", KEY, sealed, PayloadCipher.recordContext("p-1", "11111111-1111-1111-1111-111111111111", "exercise.completed")),
                Arguments.of("a nonce byte changed", KEY, changed(raw, 0), CONTEXT),
                Arguments.of("a ciphertext byte changed", KEY, changed(raw, 12), CONTEXT),
                Arguments.of("the tag's last byte changed", KEY, changed(raw, raw.length - 1), CONTEXT),
                Arguments.of("cut short", KEY, Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(raw, 27)), CONTEXT),
                Arguments.of("not base64", KEY, "{\"score\":7}", CONTEXT),
                Arguments.of("empty", KEY, "", CONTEXT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("whatDoesNotOpen")
    void anythingButTheSealedBodyWithItsKeyAndContextIsUnreadable(String why, byte[] key, String sealed, String context) {
        assertThrows(PayloadCipher.Unreadable.class, () -> PayloadCipher.openText(key, sealed, context), why);
    }

    /** A value that fails to open, or another key, leaves nothing behind for the next. */
    @Test
    void oneThreadOpensAndSealsForManyKeysAfterAFailure() {
        byte[] first = PayloadCipher.newKey();
        byte[] second = PayloadCipher.newKey();
        String sealedFirst = PayloadCipher.sealText(first, "first", "ctx-1");
        String sealedSecond = PayloadCipher.sealText(second, "second", "ctx-2");
        assertThrows(PayloadCipher.Unreadable.class, () -> PayloadCipher.openText(second, sealedFirst, "ctx-1"));
        assertEquals("second", PayloadCipher.openText(second, sealedSecond, "ctx-2"));
        assertEquals("first", PayloadCipher.openText(first, sealedFirst, "ctx-1"));
        assertNotEquals(sealedFirst, PayloadCipher.sealText(first, "first", "ctx-1"), "a new nonce each time");
    }

    @Test
    void aWrappedKeyUnwrapsOnlyAsItsPatients() {
        byte[] master = PayloadCipher.newKey();
        byte[] wrapped = PayloadCipher.seal(master, KEY, PayloadCipher.keyContext("p-1"));
        assertEquals(Base64.getEncoder().encodeToString(KEY),
                Base64.getEncoder().encodeToString(PayloadCipher.open(master, wrapped, PayloadCipher.keyContext("p-1"))));
        assertThrows(PayloadCipher.Unreadable.class, () -> PayloadCipher.open(master, wrapped, PayloadCipher.keyContext("p-2")));
        assertThrows(PayloadCipher.Unreadable.class, () -> PayloadCipher.open(PayloadCipher.newKey(), wrapped, PayloadCipher.keyContext("p-1")));
    }

    private static String changed(byte[] raw, int at) {
        byte[] copy = raw.clone();
        copy[at] ^= 0x01;
        return Base64.getEncoder().encodeToString(copy);
    }
}
