package io.ecompipeline.contract;

/**
 * Strict UTF-8 well-formedness check (RFC 3629) over raw bytes, without decoding or allocating.
 * Jackson would otherwise auto-detect UTF-16/32 from NUL bytes and accept some invalid input
 * silently; a Kafka record of this pipeline is UTF-8 or it is rejected as
 * {@link RuleIds#MALFORMED_ENCODING}. Rejects overlong forms, surrogates, code points above
 * U+10FFFF, truncated sequences and NUL bytes (never legal in JSON text, and the tell-tale of
 * UTF-16/32). Pure ASCII, the common case, costs one comparison per byte.
 */
final class Utf8Validator {

    private Utf8Validator() {
    }

    /** Offset of the first byte that is not part of well-formed, NUL-free UTF-8, or -1 if all are. */
    static int firstInvalid(byte[] b) {
        int i = 0;
        int n = b.length;
        while (i < n) {
            int c = b[i];
            if (c > 0) { // 0x01..0x7F
                i++;
                continue;
            }
            if (c == 0) {
                return i;
            }
            c &= 0xFF;
            if (c < 0xC2) { // continuation byte without lead, or overlong 2-byte lead C0/C1
                return i;
            }
            if (c < 0xE0) {
                if (i + 1 >= n || !isContinuation(b[i + 1])) {
                    return i;
                }
                i += 2;
            } else if (c < 0xF0) {
                if (i + 2 >= n) {
                    return i;
                }
                int b1 = b[i + 1] & 0xFF;
                int lo = c == 0xE0 ? 0xA0 : 0x80; // E0: no overlongs
                int hi = c == 0xED ? 0x9F : 0xBF; // ED: no surrogates U+D800..U+DFFF
                if (b1 < lo || b1 > hi || !isContinuation(b[i + 2])) {
                    return i;
                }
                i += 3;
            } else if (c < 0xF5) {
                if (i + 3 >= n) {
                    return i;
                }
                int b1 = b[i + 1] & 0xFF;
                int lo = c == 0xF0 ? 0x90 : 0x80; // F0: no overlongs
                int hi = c == 0xF4 ? 0x8F : 0xBF; // F4: nothing above U+10FFFF
                if (b1 < lo || b1 > hi || !isContinuation(b[i + 2]) || !isContinuation(b[i + 3])) {
                    return i;
                }
                i += 4;
            } else { // F5..FF never appear in UTF-8
                return i;
            }
        }
        return -1;
    }

    private static boolean isContinuation(byte x) {
        return (x & 0xC0) == 0x80;
    }
}
