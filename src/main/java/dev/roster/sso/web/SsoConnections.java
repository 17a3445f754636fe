package dev.roster.sso.web;

import dev.roster.shared.Ids;
import dev.roster.shared.NotFoundException;
import dev.roster.shared.OrgContext;
import dev.roster.sso.connection.ConnectionView;
import dev.roster.sso.connection.SsoConnectionService;

/** The connection a page's path names, looked up within the organization: any other id is not found. */
final class SsoConnections {

    private SsoConnections() {
    }

    static ConnectionView require(SsoConnectionService connections, OrgContext org, String id) {
        return connections.find(org.organizationId(),
                Ids.parse(id).orElseThrow(() -> new NotFoundException("SSO connection not found.")));
    }
}
