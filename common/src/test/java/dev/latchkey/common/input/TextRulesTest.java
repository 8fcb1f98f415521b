package dev.latchkey.common.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TextRulesTest {

    @Test
    void anyLanguageEmojiAndInvisibleFormattingAreText() {
        for (String text : new String[] { "", "my-project", "Zürich", "שלום עולם", "東京", "🚀 launch", "a\u200Bb",
                "\u202Eevil", "e\u0301", "\uFEFFbom", "\uFFFD", "\uDBFF\uDFFF", "\u00A0nbsp" }) {
            assertEquals(TextVerdict.ACCEPTABLE, TextRules.singleLine(text), text);
        }
    }

    @Test
    void nulAndEveryOtherControlCharacterIsRefused() {
        for (int c = 0; c < 0x20; c++) {
            assertEquals(TextVerdict.CONTROL_CHARACTER, TextRules.singleLine("a" + (char) c + "b"), "U+" + c);
        }
        for (int c = 0x7F; c <= 0x9F; c++) {
            assertEquals(TextVerdict.CONTROL_CHARACTER, TextRules.singleLine("a" + (char) c), "U+" + c);
        }
        assertEquals(TextVerdict.CONTROL_CHARACTER, TextRules.singleLine("line\u2028break"));
        assertEquals(TextVerdict.CONTROL_CHARACTER, TextRules.singleLine("para\u2029break"));
    }

    @Test
    void multilineTextTakesTabsAndLineBreaksButStillNoNul() {
        assertEquals(TextVerdict.ACCEPTABLE, TextRules.check("a\tb\r\nc\u2028d", true, 100));
        assertEquals(TextVerdict.CONTROL_CHARACTER, TextRules.check("a\n\u0000", true, 100));
        assertEquals(TextVerdict.CONTROL_CHARACTER, TextRules.check("a\u001Bb", true, 100));
        assertEquals(TextVerdict.CONTROL_CHARACTER, TextRules.check("a\u0085b", true, 100));
    }

    @Test
    void halfASurrogatePairIsRefusedWhereverItIs() {
        assertEquals(TextVerdict.UNPAIRED_SURROGATE, TextRules.singleLine("a\uD800b"));
        assertEquals(TextVerdict.UNPAIRED_SURROGATE, TextRules.singleLine("a\uDC00b"));
        assertEquals(TextVerdict.UNPAIRED_SURROGATE, TextRules.singleLine("end\uD83D"));
        assertEquals(TextVerdict.UNPAIRED_SURROGATE, TextRules.singleLine("\uDE80\uD83D"));
        assertEquals(TextVerdict.UNPAIRED_SURROGATE, TextRules.check("x\uD800", true, 100));
    }

    @Test
    void lengthIsCappedAtTheLimitExactly() {
        assertEquals(TextVerdict.ACCEPTABLE, TextRules.singleLine("a".repeat(TextRules.MAX_SINGLE_LINE)));
        assertEquals(TextVerdict.TOO_LONG, TextRules.singleLine("a".repeat(TextRules.MAX_SINGLE_LINE + 1)));
        assertEquals(TextVerdict.TOO_LONG, TextRules.check("abc", true, 2));
    }
}
