package dev.roster.sso.idp;

import java.time.OffsetDateTime;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import reactor.core.publisher.Mono;

/**
 * A Graph client's access token, kept until five minutes before it expires: the credential alone asks the token
 * endpoint on every Graph request, so the cache is ours. One lookup at a time asks for a new one; the others wait for
 * it, and none waits past its own deadline ({@link LookupDeadlines}).
 */
final class CachedToken implements TokenCredential {

    private final TokenCredential credential;
    private final LookupDeadlines deadlines;
    private final ReentrantLock fetching = new ReentrantLock();
    private volatile AccessToken token;

    CachedToken(TokenCredential credential, LookupDeadlines deadlines) {
        this.credential = credential;
        this.deadlines = deadlines;
    }

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.fromSupplier(() -> getTokenSync(request));
    }

    /**
     * The credential's token request runs on a thread of MSAL's, out of reach of the lookup's deadline, and the JDK
     * client it goes through cannot be made to abort it from outside on Java 17: the lookup stops waiting for it at its
     * deadline, and the request itself is bounded only by that client's timeouts (10 s to connect, as long for the
     * answer to begin and between reads of its body; {@link EntraGraph#TIMEOUT}), each tried once (azure-core's retry
     * policy is off: {@link EntraClientFactory}; MSAL tries once more after a 5xx), so that it ends before the lookup's
     * deadline rather than going on long after. Token requests are rare (one per connection and hour) and go to the
     * operator's token authority, not to an address an organization's admin typed in.
     */
    @Override
    public AccessToken getTokenSync(TokenRequestContext request) {
        AccessToken held = token;
        if (fresh(held)) {
            return held;
        }
        try {
            if (!fetching.tryLock(deadlines.remaining().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("another lookup's Graph token request did not finish in time");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a Graph token", ex);
        }
        try {
            if (!fresh(token)) {
                token = credential.getToken(request).block(deadlines.remaining());
            }
            return token;
        }
        finally {
            fetching.unlock();
        }
    }

    private static boolean fresh(AccessToken token) {
        return token != null && token.getExpiresAt().isAfter(OffsetDateTime.now().plusMinutes(5));
    }
}
