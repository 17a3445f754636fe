package dev.roster.sso.idp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.time.Duration;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.springframework.http.HttpStatus;

import dev.roster.shared.GuardedDnsResolver;

/**
 * Why an outbound fetch failed, in words an admin can act on: an HTTP client reports most failures as a bare
 * {@link IOException} subclass, whose class name tells an admin nothing.
 */
final class FetchFailure {

    private FetchFailure() {
    }

    static String describe(IOException ex, URI uri, Duration timeout) {
        String host = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        if (ex instanceof GuardedDnsResolver.RefusedAddressException refused) {
            // The URL passed the guard a moment ago; its host's DNS answer now points inside.
            return refused.getMessage();
        }
        if (ex instanceof ConnectTimeoutException) {
            return host + " did not accept a connection within " + seconds(timeout) + ".";
        }
        if (ex instanceof SocketTimeoutException) {
            return host + " accepted the connection but did not answer within " + seconds(timeout) + ".";
        }
        if (ex instanceof UnknownHostException) {
            return "the host " + uri.getHost() + " is unknown (DNS has no address for it).";
        }
        if (has(ex, ConnectException.class) || has(ex, NoRouteToHostException.class)) {
            return host + " refused the connection (nothing listens there, or a firewall blocks it).";
        }
        if (has(ex, CertificateException.class) || has(ex, java.security.cert.CertPathValidatorException.class)
                || has(ex, java.security.cert.CertPathBuilderException.class)) {
            return "the TLS certificate of " + host + " is not trusted (" + root(ex) + "). Roster verifies every "
                    + "certificate; an operator can add a CA with roster.sso.outbound.trust-store.";
        }
        if (ex instanceof SSLHandshakeException || has(ex, SSLException.class)) {
            return "the TLS handshake with " + host + " failed (" + root(ex) + ").";
        }
        return "the connection to " + host + " failed (" + root(ex) + ").";
    }

    /** " (Not Found)" for 404, or nothing for a status without a standard reason. */
    static String reason(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "" : " (" + known.getReasonPhrase() + ")";
    }

    private static boolean has(Throwable ex, Class<? extends Throwable> type) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String root(Throwable ex) {
        Throwable cause = ex;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    private static String seconds(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }
}
