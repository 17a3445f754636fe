package dev.roster.bootstrap;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.StringUtils;

/**
 * The organization, first admin and admin API token an operator wants to exist, from the environment
 * ({@code ROSTER_BOOTSTRAP_ORG}, {@code ROSTER_BOOTSTRAP_ORG_NAME}, {@code ROSTER_BOOTSTRAP_ADMIN_EMAIL},
 * {@code ROSTER_BOOTSTRAP_ADMIN_PASSWORD}, {@code ROSTER_BOOTSTRAP_API_TOKEN}). Each is created when missing and left
 * alone when present: the password is only the admin's <em>initial</em> password, so one the admin changed is never
 * overwritten by the environment at the next start.
 *
 * @param org          the organization's slug; nothing is bootstrapped without it
 * @param orgName      the organization's name when it is created (the slug if not given)
 * @param adminEmail   the first admin's email; required with {@code org}
 * @param adminPassword the admin account's initial password (at least 10 characters); without it the admin signs in
 *                     through SSO or uses only the API token
 * @param apiToken     an API token for the admin, chosen by the operator (32 to 512 printable characters), so
 *                     automation can call the API from the first start
 */
@ConfigurationProperties("roster.bootstrap")
public record BootstrapProperties(String org, String orgName, String adminEmail, String adminPassword,
                                  String apiToken) {

    public BootstrapProperties {
        org = trim(org);
        orgName = trim(orgName);
        adminEmail = trim(adminEmail);
        apiToken = trim(apiToken);
        adminPassword = StringUtils.hasLength(adminPassword) ? adminPassword : null;
    }

    public static BootstrapProperties none() {
        return new BootstrapProperties(null, null, null, null, null);
    }

    boolean isEmpty() {
        return org == null && orgName == null && adminEmail == null && adminPassword == null && apiToken == null;
    }

    private static String trim(String value) {
        return StringUtils.hasText(value) ? value.trim() : null;
    }
}
