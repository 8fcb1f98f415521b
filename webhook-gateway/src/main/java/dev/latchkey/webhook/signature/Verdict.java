package dev.latchkey.webhook.signature;

/**
 * What verifying one delivery found: either accepted, with the delivery's id (the replay key) and event type,
 * or a {@link Rejection} with a message safe to show the sender (it never contains a secret or the body).
 *
 * @param deliveryId the sender's id of this delivery, or {@code sha256:<hex of body>} where the scheme has none
 * @param eventType  the event type where the scheme carries one, else null
 */
public record Verdict(Rejection rejection, String message, String deliveryId, String eventType) {

    static Verdict accepted(String deliveryId, String eventType) {
        return new Verdict(null, null, deliveryId, eventType);
    }

    static Verdict rejected(Rejection rejection, String message) {
        return new Verdict(rejection, message, null, null);
    }

    public boolean accepted() {
        return rejection == null;
    }
}
