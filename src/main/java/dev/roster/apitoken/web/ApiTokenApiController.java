package dev.roster.apitoken.web;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.roster.apitoken.ApiTokenService;
import dev.roster.apitoken.IssuedApiToken;
import dev.roster.shared.Actor;
import dev.roster.shared.Channel;
import dev.roster.shared.Ids;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.PageQuery;
import dev.roster.shared.PageResult;
import dev.roster.shared.RosterUser;

/** The caller's personal API tokens. */
@RestController
@RequestMapping("/api/v1/me/tokens")
class ApiTokenApiController {

    private final ApiTokenService tokens;
    private final Clock clock;

    ApiTokenApiController(ApiTokenService tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    record CreateTokenRequest(@NotBlank @Size(max = 100) String name, Instant expiresAt) {
    }

    /** The one answer that carries the secret. */
    record CreatedToken(UUID id, String name, Instant createdAt, Instant expiresAt, String secret) {
    }

    @GetMapping
    PageResult<TokenView> list(@AuthenticationPrincipal RosterUser user, @RequestParam(required = false) Integer page,
                               @RequestParam(required = false) Integer size) {
        Instant now = clock.instant();
        return tokens.list(user.accountId(), PageQuery.of(page, size)).map(token -> TokenView.of(token, now));
    }

    @PostMapping
    ResponseEntity<CreatedToken> create(@AuthenticationPrincipal RosterUser user,
                                        @Valid @RequestBody CreateTokenRequest request) {
        IssuedApiToken issued = tokens.create(user.accountId(), request.name(), request.expiresAt(), actor(user));
        return ResponseEntity.status(HttpStatus.CREATED).body(new CreatedToken(issued.token().id(),
                issued.token().name(), issued.token().createdAt(), issued.token().expiresAt(), issued.secret()));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> revoke(@AuthenticationPrincipal RosterUser user, @PathVariable String id) {
        UUID tokenId = Ids.parse(id).orElseThrow(() -> new NotFoundException("Token not found."));
        tokens.revoke(user.accountId(), tokenId, actor(user));
        return ResponseEntity.noContent().build();
    }

    private static Actor actor(RosterUser user) {
        return Actor.account(user.accountId(), user.email(), Channel.API);
    }
}
