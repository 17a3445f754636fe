package dev.roster.sso.idp;

import java.time.OffsetDateTime;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import reactor.core.publisher.Mono;

/**
 * A Graph client's access token, kept until five minutes before it expires: the credential alone asks the token
 * endpoint on every Graph request, so the cache is ours.
 */
final class CachedToken implements TokenCredential {

    private final TokenCredential credential;
    private AccessToken token;

    CachedToken(TokenCredential credential) {
        this.credential = credential;
    }

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.fromSupplier(() -> getTokenSync(request));
    }

    @Override
    public synchronized AccessToken getTokenSync(TokenRequestContext request) {
        if (token == null || token.getExpiresAt().isBefore(OffsetDateTime.now().plusMinutes(5))) {
            token = credential.getTokenSync(request);
        }
        return token;
    }
}
