package dev.latchkey.identity.support;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

import org.awaitility.Awaitility;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real SMTP server in the test JVM (GreenMail) on a free port; identity's mailer is pointed at it. Tests
 * read what identity sent, stop it to simulate an outage, and start it again.
 */
public class MailServer implements QuarkusTestResourceLifecycleManager {

    private static GreenMail server;
    private static int port;

    @Override
    public Map<String, String> start() {
        port = freePort();
        server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        return Map.of("quarkus.mailer.port", String.valueOf(port), "quarkus.mailer.host", "127.0.0.1");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** Stops accepting mail (SMTP down). */
    public static void down() {
        server.stop();
    }

    /** Accepts mail again, on the same port, with an empty mailbox. */
    public static void up() {
        server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
    }

    public static List<MimeMessage> messagesTo(String address) {
        return Arrays.stream(server.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(r -> r.toString().equalsIgnoreCase(address));
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    /** Waits for a mail to {@code address} whose subject contains {@code subject}; returns its text. */
    public static String awaitMail(String address, String subject) {
        return Awaitility.await("a mail '" + subject + "' to " + address).atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(50)).until(() -> messagesTo(address).stream().filter(m -> {
                    try {
                        return m.getSubject().contains(subject);
                    } catch (Exception e) {
                        return false;
                    }
                }).reduce((a, b) -> b).map(GreenMailUtil::getBody), Optional::isPresent)
                .get().replace("=\r\n", "").replace("=3D", "=");
    }

    /** The single-use token in a mail from identity (the 43-character code after "token="). */
    public static String token(String mailText) {
        Matcher m = Pattern.compile("token=([0-9A-Za-z]{43})").matcher(mailText);
        if (!m.find()) {
            throw new AssertionError("no token in: " + mailText);
        }
        return m.group(1);
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
