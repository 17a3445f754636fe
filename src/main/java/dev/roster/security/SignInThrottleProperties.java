package dev.roster.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Password sign-in throttling (documented in docs/configuration.md).
 *
 * @param perAccount failed sign-ins for one address within a window, after which that address is refused until the
 *                   window ends (the same for addresses that have no account)
 * @param perClient  failed sign-ins from one client address (an IPv6 client's /64) within a window, for any
 *                   addresses, after which that client is refused until the window ends
 * @param window     how long failures are counted from the first one
 */
@ConfigurationProperties("roster.sign-in.throttle")
record SignInThrottleProperties(@DefaultValue("10") int perAccount, @DefaultValue("100") int perClient,
                                @DefaultValue("15m") Duration window) {
}
