package dev.latchkey.webhook.replay;

/** What a delivery id's reservation found. */
public enum ReplayOutcome {
    /** Nobody had reserved the id: this delivery is new. */
    FIRST,
    /** The id was reserved by a delivery with the same body: a sender's retry, answered 200 and not stored again. */
    DUPLICATE,
    /** The id was reserved by a delivery with a different body: refused with {@code replayed}. */
    REPLAYED
}
