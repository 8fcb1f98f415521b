package dev.latchkey.e2e.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An HTTP/1.1 client over a plain socket that sends exactly the bytes it is given: a request target that is
 * not a URI, control characters in headers, repeated headers, a body in any encoding. The JDK's client and
 * REST Assured validate or re-encode such requests before they leave, which is the opposite of what a fuzzer
 * needs. One connection per request ({@code Connection: close}), so a request can never poison the next.
 */
final class RawHttp {

    private static final int TIMEOUT_MILLIS = 15_000;
    private static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

    private RawHttp() {
    }

    record Header(String name, String value) {
    }

    /**
     * A request as it goes on the wire. Header names, values and the target are sent as ISO-8859-1, so any byte
     * can be expressed as a char 0-255.
     *
     * @param contentLength whether to add a Content-Length header for the body (false: the headers say how
     *                      the body is framed, or there is none)
     */
    record Request(String method, String target, List<Header> headers, byte[] body, boolean contentLength) {

        Request {
            headers = List.copyOf(headers);
            body = body == null ? new byte[0] : body;
        }

        boolean has(String headerName) {
            return headers.stream().anyMatch(h -> h.name().equalsIgnoreCase(headerName));
        }

        /** For a failure report: printable, with long or binary parts shortened. */
        String describe() {
            StringBuilder out = new StringBuilder(method).append(' ').append(Printable.of(target, 300)).append('\n');
            for (Header header : headers) {
                out.append("  ").append(Printable.of(header.name(), 80)).append(": ")
                        .append(Printable.of(header.value(), 200)).append('\n');
            }
            if (body.length > 0) {
                out.append("  body (").append(body.length).append(" bytes): ")
                        .append(Printable.of(new String(body, StandardCharsets.ISO_8859_1), 400));
            }
            return out.toString();
        }
    }

    record Response(int status, List<Header> headers, byte[] body) {

        String header(String name) {
            return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst()
                    .orElse(null);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The answer, or null when the server closed the connection without one. */
    static Response send(int port, Request request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head(port, request));
                out.write(request.body());
                out.flush();
            } catch (IOException refusedMidway) {
                // The server may answer and close before it has read everything (a body over the limit).
            }
            byte[] raw = readAll(socket.getInputStream());
            return raw.length == 0 ? null : parse(raw, request.method());
        }
    }

    /** A response that never ends by itself (server-sent events): its head is all there is to judge. */
    private static boolean streaming(byte[] head) {
        String text = new String(head, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        return text.contains("\r\ncontent-type: text/event-stream");
    }

    private static byte[] head(int port, Request request) {
        StringBuilder head = new StringBuilder();
        head.append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
        if (!request.has("Host")) {
            head.append("Host: 127.0.0.1:").append(port).append("\r\n");
        }
        for (Header header : request.headers()) {
            head.append(header.name()).append(": ").append(header.value()).append("\r\n");
        }
        if (request.contentLength() && !request.has("Content-Length")) {
            head.append("Content-Length: ").append(request.body().length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[16384];
        try {
            for (int read; (read = in.read(buffer)) >= 0;) {
                all.write(buffer, 0, read);
                byte[] sofar = all.toByteArray();
                int headEnd = indexOf(sofar, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
                if (headEnd >= 0 && streaming(java.util.Arrays.copyOf(sofar, headEnd + 2))) {
                    return java.util.Arrays.copyOf(sofar, headEnd + 4);
                }
                if (all.size() > MAX_RESPONSE_BYTES) {
                    throw new IOException("response larger than " + MAX_RESPONSE_BYTES + " bytes");
                }
            }
        } catch (java.net.SocketException reset) {
            // A reset after the answer (the server closed with unread request bytes): keep what arrived.
            if (all.size() == 0) {
                return new byte[0];
            }
        }
        return all.toByteArray();
    }

    /** Parses the last final response: interim 1xx answers (100 Continue) are skipped. */
    static Response parse(byte[] raw, String method) throws IOException {
        int at = 0;
        while (true) {
            int headEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), at);
            if (headEnd < 0) {
                throw new IOException("incomplete response head: "
                        + Printable.of(new String(raw, at, raw.length - at, StandardCharsets.ISO_8859_1), 200));
            }
            String[] lines = new String(raw, at, headEnd - at, StandardCharsets.ISO_8859_1).split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1 status line: " + Printable.of(lines[0], 200));
            }
            int status = Integer.parseInt(statusLine[1]);
            List<Header> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.add(new Header(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
                }
            }
            int bodyStart = headEnd + 4;
            if (status >= 100 && status < 200) {
                at = bodyStart;
                continue;
            }
            Response head = new Response(status, headers, new byte[0]);
            byte[] body;
            if (method.equals("HEAD") || status == 204 || status == 304) {
                body = new byte[0];
            } else if ("chunked".equalsIgnoreCase(String.valueOf(head.header("Transfer-Encoding")).trim())) {
                body = dechunk(raw, bodyStart);
            } else if (head.header("Content-Length") != null) {
                int length = Integer.parseInt(head.header("Content-Length").trim());
                if (bodyStart + length > raw.length) {
                    throw new IOException("body shorter than its Content-Length " + length);
                }
                body = java.util.Arrays.copyOfRange(raw, bodyStart, bodyStart + length);
            } else {
                body = java.util.Arrays.copyOfRange(raw, bodyStart, raw.length);
            }
            return new Response(status, headers, body);
        }
    }

    private static byte[] dechunk(byte[] raw, int at) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int lineEnd = indexOf(raw, new byte[] { '\r', '\n' }, at);
            if (lineEnd < 0) {
                throw new IOException("truncated chunked body");
            }
            String sizeLine = new String(raw, at, lineEnd - at, StandardCharsets.ISO_8859_1);
            int size = Integer.parseInt(sizeLine.split(";")[0].trim().toLowerCase(Locale.ROOT), 16);
            at = lineEnd + 2;
            if (size == 0) {
                return body.toByteArray();
            }
            if (at + size > raw.length) {
                throw new IOException("truncated chunk");
            }
            body.write(raw, at, size);
            at += size + 2;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer: for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
