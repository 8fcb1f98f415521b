package dev.latchkey.common.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Vectors from Unicode 15 table 3-7 and Markus Kuhn's UTF-8 decoder stress test. */
class Utf8Test {

    static boolean wellFormed(String hex) {
        return Utf8.isWellFormed(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    @Test
    void wellFormedSequencesAtEveryBoundary() {
        for (String hex : new String[] { "", "00", "7f", "c2 80", "df bf", "e0 a0 80", "ec bf bf", "ed 80 80",
                "ed 9f bf", "ee 80 80", "ef bf bf", "f0 90 80 80", "f3 bf bf bf", "f4 80 80 80", "f4 8f bf bf",
                "ef bb bf 7b 7d" }) {
            assertTrue(wellFormed(hex), hex);
        }
    }

    @Test
    void overlongFormsAreRefused() {
        for (String hex : new String[] { "c0 af", "c1 bf", "e0 80 af", "e0 9f bf", "f0 80 80 af", "f0 8f bf bf" }) {
            assertFalse(wellFormed(hex), hex);
        }
    }

    @Test
    void encodedSurrogatesAndCodePointsAboveTheLastAreRefused() {
        for (String hex : new String[] { "ed a0 80", "ed bf bf", "ed a0 80 ed b0 80", "f4 90 80 80", "f5 80 80 80",
                "f8 88 80 80 80", "fc 84 80 80 80 80", "fe", "ff", "ff fe" }) {
            assertFalse(wellFormed(hex), hex);
        }
    }

    @Test
    void loneContinuationAndTruncatedSequencesAreRefused() {
        for (String hex : new String[] { "80", "bf", "41 80 41", "c2", "e0 a0", "f0 90 80", "c2 41", "e1 80 41",
                "f1 80 80 41" }) {
            assertFalse(wellFormed(hex), hex);
        }
    }

    @Test
    void onlyTheBytesBetweenPositionAndLimitCount() {
        ByteBuffer buffer = ByteBuffer.wrap(HexFormat.of().parseHex("ff41c3a9ff"));
        buffer.position(1).limit(4);
        assertTrue(Utf8.isWellFormed(buffer));
        assertEquals(1, buffer.position(), "the buffer is not consumed");
    }

    @Test
    void aPieceByPieceCheckAgreesWithTheWholeWhereverTheBytesAreSplit() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] interesting = HexFormat.of().parseHex("417f80bfc2dfe0a0ed9fefbff090f48f");
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(1, 12)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = interesting[random.nextInt(interesting.length)];
            }
            Utf8.Checker checker = new Utf8.Checker();
            int split = random.nextInt(bytes.length + 1);
            boolean pieces = checker.update(bytes, 0, split) && checker.update(bytes, split, bytes.length - split)
                    && checker.complete();
            assertEquals(Utf8.isWellFormed(bytes), pieces, HexFormat.of().formatHex(bytes) + " split at " + split);
        }
    }

    @Test
    void forJsonARawNulByteIsRefused() {
        Utf8.Checker json = new Utf8.Checker(false);
        assertFalse(json.update(new byte[] { '{', 0, '}' }, 0, 3));
        assertTrue(new Utf8.Checker().update(new byte[] { 0 }, 0, 1));
    }

    /** The JDK's decoder, set to refuse malformed input, is the reference on random bytes. */
    @Test
    void agreesWithTheJdkDecoderOnRandomBytes() {
        SplittableRandom random = new SplittableRandom(20260101);
        byte[] interesting = HexFormat.of().parseHex("00417f80bfc0c1c2dfe0eded9fa0eff0f4f5ff8f90");
        for (int round = 0; round < 100_000; round++) {
            byte[] bytes = new byte[random.nextInt(1, 7)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = random.nextBoolean() ? interesting[random.nextInt(interesting.length)]
                        : (byte) random.nextInt(256);
            }
            assertEquals(jdk(bytes), Utf8.isWellFormed(bytes), HexFormat.of().formatHex(bytes));
        }
    }

    private static boolean jdk(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
