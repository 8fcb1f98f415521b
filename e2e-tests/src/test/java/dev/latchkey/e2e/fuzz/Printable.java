package dev.latchkey.e2e.fuzz;

/** Text made safe to print in a test report: control and non-ASCII characters escaped, length capped. */
final class Printable {

    private Printable() {
    }

    static String of(String text, int max) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (out.length() >= max && text.length() > max) {
            out.append("…(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }
}
