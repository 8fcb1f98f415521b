package dev.latchkey.common.input;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a JSON string field (or a collection or map of strings) that may hold several lines: tab, line feed
 * and carriage return are accepted there, and values up to {@link #maxLength()} characters. Every other
 * string is single-line; see {@link TextRules}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.RECORD_COMPONENT })
public @interface MultilineText {

    int maxLength() default TextRules.MAX_MULTILINE;
}
