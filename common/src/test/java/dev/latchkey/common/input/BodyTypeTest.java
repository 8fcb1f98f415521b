package dev.latchkey.common.input;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class BodyTypeTest {

    @Test
    void jsonAndFormAreRecognisedWhateverTheirSpelling() {
        assertEquals(BodyType.JSON, BodyType.of("application/json"));
        assertEquals(BodyType.JSON, BodyType.of("Application/JSON ; charset=UTF-8"));
        assertEquals(BodyType.JSON, BodyType.of("application/merge-patch+json"));
        assertEquals(BodyType.FORM, BodyType.of("application/x-www-form-urlencoded;charset=utf-8"));
        assertEquals(BodyType.OTHER, BodyType.of("text/plain"));
        assertEquals(BodyType.OTHER, BodyType.of(null));
        assertEquals(BodyType.OTHER, BodyType.of(";;;"));
    }

    @Test
    void jsonIsReadInUtf8OnlyAndSaysSoOrSaysNothing() {
        assertEquals(UTF_8, BodyType.JSON.charset("application/json"));
        assertEquals(UTF_8, BodyType.JSON.charset("application/json; charset=utf-8"));
        assertEquals(UTF_8, BodyType.JSON.charset("application/json;charset=\"UTF-8\""));
        assertEquals(US_ASCII, BodyType.JSON.charset("application/json; CHARSET=us-ascii"));
        assertNull(BodyType.JSON.charset("application/json; charset=latin1"));
        assertNull(BodyType.JSON.charset("application/json; charset=ISO-8859-1"));
        assertNull(BodyType.JSON.charset("application/json; charset=bogus"));
        assertNull(BodyType.JSON.charset("application/json; charset=utf-16"));
        assertNull(BodyType.JSON.charset("application/json; charset="));
        assertNull(BodyType.JSON.charset("application/json; charset=utf-8; charset=utf-8"));
        assertNull(BodyType.JSON.charset("application/json; charset=\u00e9"));
    }

    @Test
    void formsAlsoTakeTheLatin1ThatCommonClientsDeclare() {
        assertEquals(UTF_8, BodyType.FORM.charset("application/x-www-form-urlencoded"));
        assertEquals(ISO_8859_1, BodyType.FORM.charset("application/x-www-form-urlencoded; charset=ISO-8859-1"));
        assertNull(BodyType.FORM.charset("application/x-www-form-urlencoded; charset=bogus"));
        assertNull(BodyType.FORM.charset("application/x-www-form-urlencoded; charset=utf-16"));
    }
}
