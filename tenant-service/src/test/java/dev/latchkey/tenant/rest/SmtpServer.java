package dev.latchkey.tenant.rest;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real SMTP server (GreenMail) in the test JVM on a port of its own, which tenant-service's mailer is pointed
 * at. Tests read invitation mail from it, and stop and start it to prove that the outbox delivers once SMTP is
 * back.
 */
public class SmtpServer implements QuarkusTestResourceLifecycleManager {

    private static final Pattern LINK = Pattern.compile("https?://\\S+/invitations/(lki_[0-9A-Za-z]{43})");
    private static int port;
    private static GreenMail server;

    @Override
    public Map<String, String> start() {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        up();
        return Map.of("quarkus.mailer.host", "127.0.0.1", "quarkus.mailer.port", String.valueOf(port),
                "quarkus.mailer.start-tls", "DISABLED",
                "latchkey.tenant.invitations.link", "https://app.example.test/invitations/{token}");
    }

    @Override
    public void stop() {
        down();
    }

    /** Starts the server (again) on its port. */
    public static synchronized void up() {
        if (server == null) {
            server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            server.start();
        }
    }

    /** Stops the server: connections to its port are refused until {@link #up()}. */
    public static synchronized void down() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** Mail received (since the server last started) addressed to {@code to}. */
    public static synchronized List<MimeMessage> to(String to) {
        if (server == null) {
            return List.of();
        }
        return Arrays.stream(server.getReceivedMessages()).filter(message -> addressedTo(message, to)).toList();
    }

    /** Waits up to {@code timeout} for the {@code count}-th mail to {@code to}; fails the test otherwise. */
    public static MimeMessage await(String to, int count, Duration timeout) {
        try {
            return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .until(() -> to(to), received -> received.size() >= count).get(count - 1);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no mail #" + count + " to " + to + " within " + timeout);
        }
    }

    /** The invitation token in the accept link of {@code message}. */
    public static String token(MimeMessage message) {
        Matcher matcher = LINK.matcher(GreenMailUtil.getBody(message).replace("=\r\n", "").replace("=\n", ""));
        if (!matcher.find()) {
            throw new AssertionError("no invitation link in: " + GreenMailUtil.getBody(message));
        }
        return matcher.group(1);
    }

    public static String body(MimeMessage message) {
        return GreenMailUtil.getBody(message);
    }

    private static boolean addressedTo(MimeMessage message, String to) {
        try {
            Address[] recipients = message.getAllRecipients();
            return recipients != null && Arrays.stream(recipients).anyMatch(a -> a.toString().equalsIgnoreCase(to));
        } catch (MessagingException e) {
            return false;
        }
    }
}
