package dev.roster.shared.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes {@code /v3/api-docs} read as a reference: every operation gets a one-line summary and the error answers it
 * can give. A summary or response written on the handler ({@code @Operation}, {@code @ApiResponse}) wins, then one
 * listed here; otherwise the summary is made from the method and the path ("GET /orgs/{slug}/teams/{id}" is "Get a
 * team"), so an endpoint added later is never without one; and the
 * errors from what every endpoint of that shape answers (401 without a token, 403 and 404 under an organization,
 * 400 for a body, 503 while the database is unreachable). {@code ApiReferenceTest} fails on an operation without
 * a summary.
 */
@Configuration(proxyBeanMethods = false)
class ApiReference {

    /** Collection path segments and what one of them is called. */
    private static final Map<String, String> ONE = Map.ofEntries(
            Map.entry("orgs", "organization"), Map.entry("members", "member"), Map.entry("teams", "team"),
            Map.entry("invitations", "invitation"), Map.entry("resources", "resource"),
            Map.entry("scim-directories", "SCIM directory"), Map.entry("tokens", "token"),
            Map.entry("group-mappings", "group mapping"), Map.entry("mappings", "group mapping"),
            Map.entry("connections", "SSO connection"), Map.entry("sso-connections", "SSO connection"),
            Map.entry("domains", "domain"), Map.entry("grants", "access grant"), Map.entry("webhooks", "webhook endpoint"),
            Map.entry("endpoints", "webhook endpoint"), Map.entry("events", "event"), Map.entry("deliveries", "delivery"),
            Map.entry("audit-events", "audit event"), Map.entry("collaborators", "collaborator"),
            Map.entry("quotas", "quota"), Map.entry("leases", "lease"), Map.entry("requests", "request"),
            Map.entry("users", "user"), Map.entry("groups", "group"), Map.entry("directories", "directory"),
            Map.entry("admin-invitations", "admin invitation"), Map.entry("attempts", "delivery attempt"));

    /** Where the summary made from the path would not say what the operation does. */
    private static final Map<String, String> SUMMARIES = Map.ofEntries(
            Map.entry("GET /api/v1/orgs/{slug}/scim-settings",
                    "Read the organization's SCIM settings (what a deactivation does)"),
            Map.entry("PUT /api/v1/orgs/{slug}/scim-settings",
                    "Change the organization's SCIM settings"),
            Map.entry("PUT /api/v1/orgs/{slug}/members/{id}/teams/{teamId}",
                    "Add a member to a team"),
            Map.entry("DELETE /api/v1/orgs/{slug}/members/{id}/teams/{teamId}",
                    "Remove a member from a team (the manual place only)"),
            Map.entry("POST /api/v1/public/invitations/accept",
                    "Accept an invitation with a new account"),
            Map.entry("POST /api/v1/invitations/accept",
                    "Accept an invitation as the signed-in account"),
            Map.entry("GET /api/v1/public/invitations/{token}",
                    "Preview an invitation by its link token"),
            Map.entry("GET /api/v1/orgs/{slug}/webhooks",
                    "List webhook endpoints"),
            Map.entry("POST /api/v1/orgs/{slug}/webhooks",
                    "Add a webhook endpoint (its secret is answered once)"),
            Map.entry("POST /api/v1/orgs/{slug}/webhooks/{id}/test",
                    "Send a test event to a webhook endpoint"),
            Map.entry("POST /api/v1/orgs/{slug}/webhooks/{id}/rotate-secret",
                    "Make a new signing secret for a webhook endpoint"),
            Map.entry("POST /api/v1/orgs/{slug}/webhooks/{id}/deliveries/{deliveryId}/retry",
                    "Deliver a past event again"),
            Map.entry("GET /api/v1/orgs/{slug}/webhooks/{id}/deliveries",
                    "List a webhook endpoint's recent deliveries"),
            Map.entry("GET /api/v1/orgs/{slug}/sso-domains",
                    "List claimed and verified domains"),
            Map.entry("POST /api/v1/orgs/{slug}/sso-domains",
                    "Claim a domain (verified through a DNS TXT record)"),
            Map.entry("POST /api/v1/orgs/{slug}/sso-domains/{domainId}/verify",
                    "Verify a claimed domain now"),
            Map.entry("DELETE /api/v1/orgs/{slug}/sso-domains/{domainId}",
                    "Remove a domain"),
            Map.entry("POST /api/v1/orgs/{slug}/sso-connections",
                    "Create an SSO connection"),
            Map.entry("GET /api/v1/orgs/{slug}/sso-connections/{id}",
                    "Get an SSO connection"),
            Map.entry("PATCH /api/v1/orgs/{slug}/sso-connections/{id}",
                    "Change an SSO connection"),
            Map.entry("DELETE /api/v1/orgs/{slug}/sso-connections/{id}",
                    "Delete an SSO connection"),
            Map.entry("POST /api/v1/orgs/{slug}/sso-connections/{id}/refresh-metadata",
                    "Fetch an SSO connection's metadata URL again"),
            Map.entry("GET /api/v1/orgs/{slug}/sso-connections/{id}/group-mappings",
                    "List an SSO connection's group mappings"),
            Map.entry("POST /api/v1/orgs/{slug}/sso-connections/{id}/group-mappings",
                    "Map an IdP group to teams or admin"),
            Map.entry("POST /api/v1/orgs/{slug}/sso-connections/{id}/group-mappings/refresh-names",
                    "Look up the groups' display names again"),
            Map.entry("PATCH /api/v1/orgs/{slug}/sso-connections/{id}/group-mappings/{mappingId}",
                    "Change the team role an SSO group mapping gives"),
            Map.entry("DELETE /api/v1/orgs/{slug}/sso-connections/{id}/group-mappings/{mappingId}",
                    "Remove an SSO group mapping"),
            Map.entry("GET /api/v1/orgs/{slug}/sso-connections/{id}/grants",
                    "List who may join through an SSO connection"),
            Map.entry("POST /api/v1/orgs/{slug}/sso-connections/{id}/grants",
                    "Let an address or a domain join through an SSO connection"),
            Map.entry("DELETE /api/v1/orgs/{slug}/sso-connections/{id}/grants/{grantId}",
                    "Remove an access grant"),
            Map.entry("POST /api/v1/orgs/{slug}/scim-directories",
                    "Create a SCIM directory (its token is answered once)"),
            Map.entry("POST /api/v1/orgs/{slug}/scim-directories/{directoryId}/tokens",
                    "Issue another token for a SCIM directory"),
            Map.entry("DELETE /api/v1/orgs/{slug}/scim-directories/{directoryId}/tokens/{tokenId}",
                    "Revoke a SCIM token"),
            Map.entry("GET /api/v1/orgs/{slug}/scim-directories/{directoryId}/group-mappings",
                    "List a SCIM directory's group mappings"),
            Map.entry("POST /api/v1/orgs/{slug}/scim-directories/{directoryId}/group-mappings",
                    "Map directory groups to teams or admin"),
            Map.entry("PATCH /api/v1/orgs/{slug}/scim-directories/{directoryId}/group-mappings/{mappingId}",
                    "Change the team role a SCIM group mapping gives"),
            Map.entry("DELETE /api/v1/orgs/{slug}/scim-directories/{directoryId}/group-mappings/{mappingId}",
                    "Remove a SCIM group mapping"),
            Map.entry("GET /api/v1/orgs/{slug}/scim-directories/{directoryId}/unlinked-users",
                    "List directory users kept unlinked, with why"),
            Map.entry("GET /api/v1/orgs/{slug}/scim-directories/{directoryId}/requests",
                    "Read a SCIM directory's request log"),
            Map.entry("POST /api/v1/orgs/{slug}/members/{id}/suspend",
                    "Suspend a member"),
            Map.entry("POST /api/v1/orgs/{slug}/members/{id}/reactivate",
                    "Reactivate a suspended member"),
            Map.entry("DELETE /api/v1/orgs/{slug}/members/{id}",
                    "Remove a member from the organization"),
            Map.entry("PATCH /api/v1/orgs/{slug}/members/{id}",
                    "Make a member an admin, or not"),
            Map.entry("GET /api/v1/orgs/{slug}/members/{id}/accessible-resources",
                    "List what a member can reach, and why"),
            Map.entry("GET /api/v1/orgs/{slug}/me/resources",
                    "List what you can reach in the organization"),
            Map.entry("POST /api/v1/orgs/{slug}/me/resources",
                    "Create a personal resource"),
            Map.entry("DELETE /api/v1/orgs/{slug}/me/resources/{id}",
                    "Delete one of your personal resources"),
            Map.entry("POST /api/v1/orgs/{slug}/invitations",
                    "Invite one or many addresses"),
            Map.entry("DELETE /api/v1/orgs/{slug}/invitations",
                    "Clear expired invitations"),
            Map.entry("POST /api/v1/orgs/{slug}/invitations/{id}/revoke",
                    "Revoke a pending invitation"),
            Map.entry("POST /api/v1/orgs/{slug}/invitations/{id}/resend",
                    "Resend an invitation with a new link"),
            Map.entry("GET /api/v1/me/two-factor",
                    "Your two-factor status"),
            Map.entry("POST /api/v1/me/two-factor",
                    "Start setting up two-factor authentication"),
            Map.entry("DELETE /api/v1/me/two-factor",
                    "Turn two-factor authentication off"),
            Map.entry("POST /api/v1/me/two-factor/recovery-codes",
                    "Make new recovery codes"),
            Map.entry("POST /api/v1/me/two-factor/confirm",
                    "Confirm two-factor set-up with a code"),
            Map.entry("GET /api/v1/me/tokens",
                    "List your API tokens"),
            Map.entry("POST /api/v1/me/tokens",
                    "Create an API token (its secret is answered once)"),
            Map.entry("DELETE /api/v1/me/tokens/{id}",
                    "Revoke one of your API tokens"),
            Map.entry("POST /api/v1/me/password",
                    "Change your password"),
            Map.entry("GET /api/v1/me",
                    "Who you are, and your organizations"),
            Map.entry("PATCH /api/v1/me",
                    "Change your display name"),
            Map.entry("GET /api/v1/me/audit-events",
                    "Your own account's history"),
            Map.entry("GET /api/v1/orgs/{slug}",
                    "Read an organization's settings"),
            Map.entry("PATCH /api/v1/orgs/{slug}",
                    "Change an organization's settings"),
            Map.entry("GET /api/v1/orgs/{slug}/me",
                    "Your membership of the organization"),
            Map.entry("GET /api/v1/orgs/{slug}/teams/{id}/deletion-impact",
                    "What deleting a team would change"),
            Map.entry("GET /api/v1/orgs/{slug}/events",
                    "Read the organization's event stream after a position"),
            Map.entry("GET /api/v1/orgs/{slug}/decisions",
                    "Decide whether a person may use a resource, and why"),
            Map.entry("GET /api/v1/orgs/{slug}/audit-events",
                    "Search the organization's audit log"));

    /**
     * The conflicts (409) an operation answers, by code. Written here rather than with {@code @ApiResponse} on the
     * handler: springdoc then gives the handler's answer to the only response declared, and drops its 200.
     */
    private static final Map<String, String> CONFLICTS = Map.of(
            "PATCH /api/v1/orgs/{slug}/members/{id}",
            "managed-by-directory: only SSO or SCIM makes the member an admin (adminSources without manual; change it "
                    + "in the identity provider), or last-admin: the organization's last active admin (problem+json)");

    @Bean
    OpenApiCustomizer apiReferenceSummariesAndErrors() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                if (operation.getSummary() == null || operation.getSummary().isBlank()) {
                    operation.setSummary(SUMMARIES.getOrDefault(method.name() + " " + path, summary(method, path)));
                }
                errors(method, path, operation);
            }));
        };
    }

    static String summary(PathItem.HttpMethod method, String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.replaceFirst("^/api/v1/", "").split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        boolean endsWithId = !segments.isEmpty() && segments.get(segments.size() - 1).startsWith("{");
        List<String> literals = segments.stream().filter(s -> !s.startsWith("{")).toList();
        String last = literals.isEmpty() ? "" : literals.get(literals.size() - 1);
        String owner = literals.size() > 1 ? literals.get(literals.size() - 2) : null;
        boolean lastIsCollection = ONE.containsKey(last) || last.endsWith("s");
        String thing = one(last);
        if (endsWithId) {
            return switch (method) {
                case GET -> "Get " + article(thing);
                case PATCH -> "Change " + article(thing);
                case PUT -> "Set " + article(thing);
                case DELETE -> "Delete " + article(thing);
                default -> capitalize(words(method.name().toLowerCase(Locale.ROOT))) + " " + article(thing);
            };
        }
        if (method == PathItem.HttpMethod.GET) {
            return lastIsCollection ? "List " + words(plural(last)) : "Get " + words(last);
        }
        if (method == PathItem.HttpMethod.POST && lastIsCollection) {
            return "Create " + article(thing);
        }
        if (method == PathItem.HttpMethod.DELETE && lastIsCollection) {
            return "Delete " + words(plural(last));
        }
        if (method == PathItem.HttpMethod.PATCH || method == PathItem.HttpMethod.PUT) {
            return "Change " + words(last);
        }
        // An action on a thing: POST /members/{id}/suspend is "Suspend a member".
        String action = capitalize(words(last));
        return owner == null ? action : action + " (" + one(owner) + ")";
    }

    private static void errors(PathItem.HttpMethod method, String path, Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        ApiResponses responses = operation.getResponses();
        boolean open = path.startsWith("/api/v1/public/");
        if (!open) {
            add(responses, "401", "No API token, or one that is wrong, revoked or expired (problem+json)");
        }
        if (path.contains("{slug}")) {
            add(responses, "403", "Not allowed: not an admin of this organization (where admins only), suspended, "
                    + "or two-factor required (problem+json)");
            add(responses, "404", "No such organization for this caller, or no such " + one(lastLiteral(path))
                    + " in it (problem+json)");
        }
        else if (path.endsWith("}")) {
            add(responses, "404", "Not found (problem+json)");
        }
        if (method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT
                || method == PathItem.HttpMethod.PATCH) {
            add(responses, "400", "Invalid request; errors names the fields at fault (problem+json)");
        }
        String conflict = CONFLICTS.get(method.name() + " " + path);
        if (conflict != null) {
            add(responses, "409", conflict);
        }
        add(responses, "503", "The database is unreachable; retry after Retry-After (problem+json)");
    }

    private static void add(ApiResponses responses, String code, String description) {
        if (!responses.containsKey(code)) {
            responses.addApiResponse(code, new ApiResponse().description(description));
        }
    }

    private static String lastLiteral(String path) {
        String[] segments = path.split("/");
        for (int i = segments.length - 1; i >= 0; i--) {
            if (!segments[i].isEmpty() && !segments[i].startsWith("{")) {
                return segments[i];
            }
        }
        return "";
    }

    private static String one(String segment) {
        String known = ONE.get(segment);
        if (known != null) {
            return known;
        }
        String word = words(segment);
        return word.endsWith("s") ? word.substring(0, word.length() - 1) : word;
    }

    private static String plural(String segment) {
        return segment;
    }

    private static String article(String thing) {
        return ("aeiou".indexOf(Character.toLowerCase(thing.isEmpty() ? 'x' : thing.charAt(0))) >= 0
                && !thing.startsWith("user") ? "an " : "a ")
                + thing;
    }

    private static String words(String segment) {
        return segment.replace('-', ' ').replace("scim", "SCIM").replace("sso", "SSO").replace("me ", "your ");
    }

    private static String capitalize(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
