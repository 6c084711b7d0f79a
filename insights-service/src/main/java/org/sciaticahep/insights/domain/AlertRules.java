package org.sciaticahep.insights.domain;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The rules of alert delivery, as plain functions: where an alert may be sent, when a failed attempt is tried
 * again and when it is given up, and how a receiver knows the alert came from this clinic.
 */
public final class AlertRules {

    public static final String SIGNATURE_PREFIX = "sha256=";
    static final int MAX_URL_LENGTH = 2000;

    private AlertRules() {
    }

    /**
     * Why an alert may not be sent to {@code url}, or null when it may. Alerts carry patient ids: they go over TLS
     * only, except to this machine in the local stack (where a receiver under test listens on loopback). Never to
     * addresses that reach the host's own services or a cloud's metadata endpoint from inside (link-local, any-local,
     * multicast), nor with credentials in the URL (they would be logged and shown in lists).
     */
    public static String refusedTarget(String url, boolean allowLoopbackHttp) {
        if (url == null || url.isBlank()) {
            return "is required";
        }
        if (url.length() > MAX_URL_LENGTH) {
            return "must be at most " + MAX_URL_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            return "is not a URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (!uri.isAbsolute() || host == null || host.isEmpty()) {
            return "must be an absolute http(s) URL with a host";
        }
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            return "must have a port from 1 to 65535";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not carry credentials";
        }
        if (uri.getRawFragment() != null) {
            return "must not have a fragment";
        }
        boolean loopback = isLoopbackName(host);
        if (scheme.equals("http")) {
            if (!(allowLoopbackHttp && loopback)) {
                return allowLoopbackHttp ? "must be https (http only to this machine)" : "must be https";
            }
        } else if (!scheme.equals("https")) {
            return "must be https";
        }
        if (loopback && !allowLoopbackHttp) {
            return "must not point at this machine";
        }
        InetAddress literal = literalAddress(host);
        if (literal != null && internal(literal) && !(allowLoopbackHttp && literal.isLoopbackAddress())) {
            return "must not point at a link-local, loopback or unspecified address";
        }
        return null;
    }

    /**
     * Addresses an alert never goes to, checked again on each attempt against what the name resolves to then:
     * loopback, link-local (cloud metadata lives at 169.254.169.254), any-local, multicast, 0/8 and 240/4.
     */
    public static boolean internal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isAnyLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        // "this network" (0/8) and the reserved 240/4 reach nothing a clinic runs
        int first = address.getAddress()[0] & 0xff;
        return address.getAddress().length == 4 && (first == 0 || first >= 240);
    }

    /** How long to wait after the {@code attempts}-th failed attempt: doubling from {@code first}, at most {@code max}. */
    public static Duration retryDelay(int attempts, Duration first, Duration max) {
        long millis = first.toMillis();
        for (int i = 1; i < attempts && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }

    /** An alert still undelivered once {@code retryFor} has passed since it was queued is given up (and counted). */
    public static boolean givenUp(Instant queuedAt, Instant now, Duration retryFor) {
        return !now.isBefore(queuedAt.plus(retryFor));
    }

    /**
     * The signature header's value: HMAC-SHA256, with the subscription's secret (its UTF-8 bytes) as key, of the
     * timestamp header's value, a dot and the exact body bytes, in hex. The timestamp is signed so a receiver can
     * refuse a captured alert sent again later.
     */
    public static String signature(String secret, long timestamp, byte[] body) {
        return SIGNATURE_PREFIX + HexFormat.of().formatHex(hmac(secret, (timestamp + ".").getBytes(StandardCharsets.UTF_8), body));
    }

    static byte[] hmac(String secret, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /**
     * What a receiver sees of a failed attempt, coarse on purpose: a clinician's target must not become a way to
     * map the clinic's network (which names exist, which ports answer, which speak TLS).
     */
    public static String outcome(Throwable failure) {
        Throwable t = failure;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof java.net.http.HttpTimeoutException || t instanceof java.util.concurrent.TimeoutException) {
            return "timeout";
        }
        if (t instanceof javax.net.ssl.SSLException) {
            return "tls";
        }
        return t instanceof java.io.IOException ? "unreachable" : "failed";
    }

    private static boolean isLoopbackName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        InetAddress literal = literalAddress(host);
        return literal != null && literal.isLoopbackAddress();
    }

    /** The address a host written as an IP literal stands for, without any name lookup; null for a name. */
    private static InetAddress literalAddress(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean ipv4 = h.matches("[0-9.]+");
        boolean ipv6 = h.contains(":") && h.matches("[0-9a-fA-F:.%]+");
        if (!ipv4 && !ipv6) {
            return null;
        }
        try {
            return InetAddress.getByName(h); // a literal: parsed, never looked up
        } catch (Exception e) {
            return null;
        }
    }
}
