package io.egressgateway.domain.datapath;

/** Marks are unsigned 32-bit values held in a long; never print one negative. */
public final class Marks {
    private Marks() {
    }

    public static String hex(long mark) {
        String digits = Long.toHexString(mark & 0xffffffffL);
        return "0x" + "00000000".substring(digits.length()) + digits;
    }

    /** Parses {@code 0x26000000} or a decimal; rejects values outside 0..2^32-1. */
    public static long parse(String text) {
        String t = text.trim().toLowerCase();
        long v = t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
        if (v < 0 || v > 0xffffffffL) {
            throw new IllegalArgumentException("mark " + text + " is not an unsigned 32-bit value");
        }
        return v;
    }
}
