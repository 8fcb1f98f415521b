package dev.latchkey.e2e;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

import org.awaitility.Awaitility;

import jakarta.mail.Message;

/**
 * The SMTP server the services of the suite send their mail to: a real one (GreenMail) in this JVM, on
 * BASE+8, which tests read the verification and invitation mails from.
 */
public final class Mail {

    public static final int PORT = Suite.BASE + 8;

    private static GreenMail server;

    private Mail() {
    }

    static synchronized void start() {
        if (server == null) {
            server = new GreenMail(new ServerSetup(PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            server.start();
        }
    }

    static synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** The text of the latest mail to {@code address} whose subject contains {@code subject}, waiting up to 30 s. */
    public static String await(String address, String subject) {
        String body = Awaitility.await("a mail '" + subject + "' to " + address).atMost(Duration.ofSeconds(30))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .until(() -> Arrays.stream(server.getReceivedMessages())
                        .filter(m -> to(m, address) && subject(m).contains(subject))
                        .reduce((a, b) -> b).map(GreenMailUtil::getBody), Optional::isPresent)
                .orElseThrow();
        // quoted-printable soft line breaks and '=' as the mail carries them
        return body.replace("=\r\n", "").replace("=3D", "=");
    }

    /** The first match of {@code regex}'s group 1 in {@code text}. */
    public static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + regex + " in: " + text);
        }
        return m.group(1);
    }

    private static boolean to(Message m, String address) {
        try {
            return Arrays.stream(m.getAllRecipients()).anyMatch(r -> r.toString().equalsIgnoreCase(address));
        } catch (Exception e) {
            return false;
        }
    }

    private static String subject(Message m) {
        try {
            return String.valueOf(m.getSubject());
        } catch (Exception e) {
            return "";
        }
    }
}
