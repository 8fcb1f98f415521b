package dev.latchkey.common.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The client address a request may be believed to come from (an audit record, a rate limit). {@code X-Forwarded-For} is written by whoever sends the
 * request, so it is believed only when the connection comes from a configured trusted proxy; then the client
 * is the right-most address in the header that is not itself a trusted proxy (proxies append, so everything
 * left of that could have been made up by the client). Otherwise the socket's peer address is the client.
 */
public final class ClientAddresses {

    private static final Pattern IP_LITERAL = Pattern.compile("^[0-9a-fA-F:.]+$");

    private final List<Range> trusted;

    /** @param trustedProxies addresses ({@code 10.0.0.7}) or CIDR ranges ({@code 10.0.0.0/8}, {@code fd00::/8}) */
    public ClientAddresses(List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(String::strip).filter(s -> !s.isEmpty()).map(Range::parse).toList();
    }

    public String resolve(String peer, String forwardedFor) {
        if (peer == null || trusted.isEmpty() || forwardedFor == null || forwardedFor.isBlank() || !isTrusted(peer)) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (!IP_LITERAL.matcher(hop).matches()) {
                // Not an address (a made-up token, or "unknown"): nothing left of it can be trusted either.
                return i == hops.length - 1 ? peer : hops[i + 1].strip();
            }
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return hops[0].strip();
    }

    boolean isTrusted(String address) {
        byte[] bytes = bytes(address);
        return bytes != null && trusted.stream().anyMatch(range -> range.contains(bytes));
    }

    private static byte[] bytes(String literal) {
        if (literal == null || !IP_LITERAL.matcher(literal).matches()) {
            return null; // never resolve names
        }
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private record Range(byte[] network, int prefix) {

        static Range parse(String value) {
            int slash = value.indexOf('/');
            String address = slash < 0 ? value : value.substring(0, slash);
            byte[] network = bytes(address);
            if (network == null) {
                throw new IllegalArgumentException("not an IP address or CIDR range: " + value);
            }
            int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(value.substring(slash + 1));
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("bad prefix length in " + value);
            }
            return new Range(network, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
