package dev.latchkey.webhook.domain;

/**
 * A stream's position: after the row {@code seq} of transaction {@code tx}. Written {@code <tx>-<seq>} as the
 * Server-Sent Events id; {@link #START} is before everything.
 */
public record InboxPosition(long tx, long seq) {
    public static final InboxPosition START = new InboxPosition(0, 0);

    public static InboxPosition of(InboxEvent event) {
        return new InboxPosition(event.tx(), event.seq());
    }

    @Override
    public String toString() {
        return tx + "-" + seq;
    }

    /** The position written by {@link #toString()}, or "0" for the start; null when it is neither. */
    public static InboxPosition parse(String value) {
        String text = value.trim();
        if (text.equals("0")) {
            return START;
        }
        int dash = text.indexOf('-');
        try {
            InboxPosition position = new InboxPosition(Long.parseLong(text.substring(0, dash)),
                    Long.parseLong(text.substring(dash + 1)));
            return position.tx() < 0 || position.seq() < 0 ? null : position;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
