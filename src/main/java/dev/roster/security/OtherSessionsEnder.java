package dev.roster.security;

import java.util.Optional;

import jakarta.servlet.http.HttpSession;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.roster.account.PasswordChanged;

/**
 * Ends a person's other browser sessions once a new password is committed, so that someone who signed in with the old
 * password is out as well. The session the change was made in stays: the person is looking at the confirmation.
 * API tokens are left alone; they are listed and revoked on the tokens page.
 */
@Component
class OtherSessionsEnder {

    private static final Logger log = LoggerFactory.getLogger(OtherSessionsEnder.class);

    private final FindByIndexNameSessionRepository<?> sessions;

    OtherSessionsEnder(FindByIndexNameSessionRepository<?> sessions) {
        this.sessions = sessions;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void passwordChanged(PasswordChanged event) {
        // Sessions are indexed by RosterUser.getName(), the account id.
        String current = currentSessionId().orElse(null);
        var ended = sessions.findByPrincipalName(event.accountId().toString()).keySet().stream()
                .filter(id -> !id.equals(current)).toList();
        ended.forEach(sessions::deleteById);
        if (!ended.isEmpty()) {
            log.info("Ended {} other session(s) of account {} after a password change", ended.size(),
                    event.accountId());
        }
    }

    // The listener runs in the thread of the request that changed the password (after its commit); an API call
    // authenticated by token has no session, and then every session ends.
    private static Optional<String> currentSessionId() {
        return Optional.ofNullable(RequestContextHolder.getRequestAttributes())
                .filter(ServletRequestAttributes.class::isInstance)
                .map(attributes -> ((ServletRequestAttributes) attributes).getRequest().getSession(false))
                .map(HttpSession::getId);
    }
}
