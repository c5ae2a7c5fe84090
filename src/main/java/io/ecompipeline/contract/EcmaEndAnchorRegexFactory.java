package io.ecompipeline.contract;

import java.util.regex.Pattern;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;

/**
 * JSON Schema {@code pattern} with ECMA-262 end-of-input semantics on the JDK regex engine.
 *
 * <p>networknt's default JDK engine compiles patterns with {@link Pattern} and uses
 * {@code find()}. In Java, {@code $} also matches just before a final line terminator, so
 * {@code ^[A-Z]{3}$} accepts {@code "EUR\n"}; in ECMA-262 (what JSON Schema specifies) it does
 * not. This factory rewrites every unescaped {@code $} outside a character class to {@code \z}
 * (absolute end of input). Everything else is the JDK engine unchanged; patterns are compiled
 * once, when the schema is compiled.
 */
final class EcmaEndAnchorRegexFactory implements RegularExpressionFactory {

    static final EcmaEndAnchorRegexFactory INSTANCE = new EcmaEndAnchorRegexFactory();

    private EcmaEndAnchorRegexFactory() {
    }

    @Override
    public RegularExpression getRegularExpression(String regex) {
        Pattern pattern = Pattern.compile(toJava(regex));
        return value -> pattern.matcher(value).find();
    }

    static String toJava(String regex) {
        StringBuilder out = new StringBuilder(regex.length() + 4);
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                out.append(c).append(regex.charAt(++i));
            } else if (inClass) {
                if (c == ']') {
                    inClass = false;
                }
                out.append(c);
            } else if (c == '[') {
                inClass = true;
                out.append(c);
            } else if (c == '$') {
                out.append("\\z");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
