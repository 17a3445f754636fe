package dev.roster.sso.access;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.roster.sso.connection.ConnectionKind;
import dev.roster.sso.connection.SsoConnection;
import dev.roster.sso.idp.EntraGraph;
import dev.roster.sso.idp.OktaGroupsClient;
import dev.roster.sso.saml.AssertedIdentity;

/**
 * The person's IdP groups: from the assertion, or, where the assertion cannot carry them, from the IdP's API. Entra
 * replaces the groups claim with a link to Graph when someone is in too many groups (the overage claim); Okta
 * connections may be set to read groups through the Okta API when the assertion carries no groups attribute.
 * An empty result means "unknown": SSO then leaves team grants alone instead of removing them all.
 */
@Component
public class SsoGroups {

    private static final Logger log = LoggerFactory.getLogger(SsoGroups.class);

    /** Okta's group ids: "00g" and 17 letters or digits. A groups attribute carries them when set to group.id. */
    private static final Pattern OKTA_GROUP_ID = Pattern.compile("00g[0-9A-Za-z]{17}");

    private final EntraGraph graph;
    private final OktaGroupsClient okta;

    SsoGroups(EntraGraph graph, OktaGroupsClient okta) {
        this.graph = graph;
        this.okta = okta;
    }

    public Optional<Set<String>> groupsOf(SsoConnection connection, AssertedIdentity identity) {
        if (connection.kind() == ConnectionKind.ENTRA && identity.groupsOverage()) {
            if (!connection.graphConfigured() || identity.objectId() == null) {
                log.warn("SSO connection {}: {} is in too many groups for the SAML token (overage) and Microsoft Graph "
                        + "is not configured for the connection; SSO team grants are left as they are",
                        connection.id(), identity.email().value());
                return Optional.empty();
            }
            return Optional.of(graph.memberGroupIds(connection, identity.objectId()));
        }
        if (connection.kind() == ConnectionKind.OKTA && !identity.groupsClaimPresent()
                && connection.oktaApiConfigured()) {
            return Optional.of(okta.groupNames(connection, identity.email()));
        }
        return Optional.of(identity.groups());
    }

    /**
     * A readable name for a group claim value (Entra object ids and Okta group ids mean nothing to people), from the
     * IdP's API where the connection has its credentials; empty if unknown.
     */
    Optional<String> displayName(SsoConnection connection, String groupValue) {
        if (connection.kind() == ConnectionKind.ENTRA && connection.graphConfigured()) {
            return graph.groupName(connection, groupValue);
        }
        if (connection.kind() == ConnectionKind.OKTA && connection.oktaApiConfigured()
                && OKTA_GROUP_ID.matcher(groupValue).matches()) {
            return okta.groupName(connection, groupValue);
        }
        return Optional.empty();
    }
}
