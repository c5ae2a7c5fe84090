package io.ecompipeline.persist;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.ecompipeline.contract.RuleIds;
import io.ecompipeline.contract.ValidationResult;
import io.ecompipeline.contract.Violation;

/**
 * What PostgreSQL refuses although the JSON is well-formed, found before anything is written, so that one record
 * becomes a dead letter instead of failing its whole batch: text with NUL (U+0000) or an unpaired UTF-16
 * surrogate (U+D800..U+DFFF, written as an escape such as backslash-u-d800) in any string or property name (jsonb
 * and text refuse both), and numbers jsonb cannot hold as {@code numeric} (more than 131072 digits before the point
 * or 16383 after it, e.g. {@code 1e131072}).
 *
 * <p>Both can only come from the JSON text's own notation (a raw NUL byte or surrogate is already
 * {@code malformed.encoding}), so one pass over the bytes looks for a backslash-u escape or an exponent first; only
 * the rare record with one is looked at more closely. Also the text helpers that keep reasons and ids storable.
 */
public final class StorageRules {

    /** jsonb's numeric: at most this many digits before the decimal point ... */
    static final int NUMERIC_MAX_INTEGER_DIGITS = 131_072;
    /** ... and this many after it. */
    static final int NUMERIC_MAX_FRACTION_DIGITS = 16_383;
    private static final int MAX_REPORTED = 10;
    private static final JsonFactory JSON = new JsonFactory();

    private StorageRules() {
    }

    /**
     * The storage violations of a parsed JSON object: unsupported characters anywhere (values and property names) and
     * numbers out of jsonb's range anywhere. Empty for the ordinary event, at the cost of one byte scan.
     */
    public static List<Violation> check(JsonNode event, byte[] json) {
        int notation = notation(json);
        if (notation == 0) {
            return List.of();
        }
        List<Violation> found = new ArrayList<>(1);
        if ((notation & UNICODE_ESCAPE) != 0) {
            characters(event, "", found);
        }
        if ((notation & EXPONENT) != 0 && found.size() < MAX_REPORTED) {
            numbers(json, found);
        }
        return found;
    }

    /**
     * The reasons of a record the contract refused, plus what PostgreSQL could not store in it: that explains a missing
     * id, and the record will still be refused once a rule change makes the rest valid.
     */
    public static List<Violation> withStorageReasons(ValidationResult result, byte[] json) {
        if (result.event() == null) {
            return result.violations();
        }
        List<Violation> storage = check(result.event(), json);
        if (storage.isEmpty()) {
            return result.violations();
        }
        List<Violation> reasons = new ArrayList<>(result.violations());
        reasons.addAll(storage);
        return reasons;
    }

    /** True when PostgreSQL can store {@code text} in a text column (null counts as storable). */
    public static boolean storable(String text) {
        return text == null || firstUnsupported(text) < 0;
    }

    /** {@code text} when storable, else null (an event id nobody could match anyway). */
    public static String storableOrNull(String text) {
        return storable(text) ? text : null;
    }

    /**
     * {@code text} with every NUL and unpaired surrogate written as its JSON escape text (backslash-u0000, backslash-ud800):
     * storable, and still telling the reader what was there. Used for reasons and paths that quote user input.
     */
    public static String printable(String text) {
        if (text == null || firstUnsupported(text) < 0) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 12);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                sb.append(c).append(text.charAt(++i));
            } else if (c == 0 || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The violation with field and message made {@link #printable}. */
    public static Violation printable(Violation v) {
        String field = printable(v.field());
        String message = printable(v.message());
        return field == v.field() && message == v.message() ? v : new Violation(v.rule(), field, message);
    }

    /** Index of the first NUL or unpaired surrogate, or -1. */
    static int firstUnsupported(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return i;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
        }
        return -1;
    }

    private static final int UNICODE_ESCAPE = 1;
    private static final int EXPONENT = 2;

    /** Which rare notations the JSON text uses: a backslash-u escape inside a string, a number with an exponent. */
    static int notation(byte[] json) {
        if (json == null) {
            return 0;
        }
        int found = 0;
        boolean inString = false;
        for (int i = 0, n = json.length; i < n; i++) {
            byte b = json[i];
            if (inString) {
                if (b == '\\') {
                    if (i + 1 < n && json[i + 1] == 'u') {
                        found |= UNICODE_ESCAPE;
                    }
                    i++; // the escaped character cannot end the string
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if ((b == 'e' || b == 'E') && i > 0 && (json[i - 1] == '.' || (json[i - 1] >= '0' && json[i - 1] <= '9'))) {
                found |= EXPONENT; // "true" and "false" have their e after a letter
            }
        }
        return found;
    }

    private static void characters(JsonNode node, String path, List<Violation> found) {
        if (found.size() >= MAX_REPORTED) {
            return;
        }
        if (node.isTextual()) {
            int at = firstUnsupported(node.textValue());
            if (at >= 0) {
                found.add(unsupported(path.isEmpty() ? "$" : path, "value", node.textValue().charAt(at)));
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String name = field.getKey();
                String child = path.isEmpty() ? printable(name) : path + "." + printable(name);
                int at = firstUnsupported(name);
                if (at >= 0 && found.size() < MAX_REPORTED) {
                    found.add(unsupported(child, "property name", name.charAt(at)));
                }
                characters(field.getValue(), child, found);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                characters(node.get(i), path + "[" + i + "]", found);
            }
        }
    }

    private static Violation unsupported(String field, String what, char c) {
        String kind = c == 0 ? "the NUL character \\u0000" : String.format("the unpaired surrogate \\u%04x", (int) c);
        return new Violation(RuleIds.STORAGE_UNSUPPORTED_CHARACTER, field,
                "the " + what + " contains " + kind + ", which PostgreSQL cannot store (jsonb and text)");
    }

    /** Streams the JSON text once more, only for the rare record with an exponent, to read each number as written. */
    private static void numbers(byte[] json, List<Violation> found) {
        try (JsonParser p = JSON.createParser(json)) {
            Path path = new Path();
            for (JsonToken t = p.nextToken(); t != null && found.size() < MAX_REPORTED; t = p.nextToken()) {
                if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                    String text = p.getText();
                    if (!fitsNumeric(text)) {
                        found.add(new Violation(RuleIds.STORAGE_OUT_OF_RANGE, path.of(p), "the number " + abbreviate(text)
                                + " is beyond PostgreSQL's numeric range (131072 digits before the point, 16383 after), "
                                + "which jsonb uses for every number"));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the contract parsed these bytes already; nothing to add
        }
    }

    /** Would jsonb take this JSON number (text as written)? */
    static boolean fitsNumeric(String text) {
        BigDecimal d;
        try {
            d = new BigDecimal(text);
        } catch (NumberFormatException e) {
            return false; // an exponent beyond what even BigDecimal holds
        }
        if (d.signum() == 0) {
            return true;
        }
        long integerDigits = (long) d.precision() - d.scale();
        return integerDigits <= NUMERIC_MAX_INTEGER_DIGITS && d.scale() <= NUMERIC_MAX_FRACTION_DIGITS;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    /** The dot path of the parser's current value ({@code a.b[2]}), as the contract writes fields. */
    private static final class Path {
        String of(JsonParser p) {
            List<String> parts = new ArrayList<>();
            for (var ctx = p.getParsingContext(); ctx != null && !ctx.inRoot(); ctx = ctx.getParent()) {
                parts.add(0, ctx.inArray() ? "[" + ctx.getCurrentIndex() + "]" : printable(ctx.getCurrentName()));
            }
            StringBuilder sb = new StringBuilder();
            for (String part : parts) {
                if (sb.length() > 0 && !part.startsWith("[")) {
                    sb.append('.');
                }
                sb.append(part);
            }
            return sb.length() == 0 ? "$" : sb.toString();
        }
    }
}
