package dev.roster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Each table has one owning module (issue 16). Spring Modulith sees Java types, not SQL, so a module joining another
 * module's table slipped past {@link ModularityTests}: a change to the membership tables meant reading four modules.
 * This test reads the string literals (text blocks too) of every main source file, takes the table named after
 * {@code FROM}, {@code JOIN}, {@code INTO}, {@code UPDATE} and {@code TABLE}, and fails when a module's SQL names a
 * table another module owns. Another module reads such a table through the owner's read API, or, where one statement
 * is needed for speed, through the owner's named joins ({@code AccountJoins}, {@code MembershipJoins},
 * {@code OrganizationJoins}, {@code EventJoins}, {@code InvitationJoins}, {@code SsoDomainJoins}), whose text lives
 * in the owner.
 * The list below is the documented one, in docs/architecture.md#who-owns-which-table.
 */
class TablesHaveOneOwnerTest {

    /** Table → owning module (the package under dev.roster). Every table of a migration must be listed. */
    static final Map<String, String> OWNERS = Map.ofEntries(
            Map.entry("instance_secret", "shared"),
            Map.entry("rate_limit_bucket", "shared"),
            Map.entry("audit_event", "audit"),
            Map.entry("account", "account"),
            Map.entry("membership", "membership"),
            Map.entry("team", "membership"),
            Map.entry("team_membership", "membership"),
            Map.entry("membership_admin_grant", "membership"),
            Map.entry("two_factor", "twofactor"),
            Map.entry("recovery_code", "twofactor"),
            Map.entry("organization", "organization"),
            Map.entry("organization_sweep", "organization"),
            Map.entry("api_token", "apitoken"),
            Map.entry("password_reset", "security"),
            Map.entry("sign_in_failure", "security"),
            Map.entry("spring_session", "security"),
            Map.entry("spring_session_attributes", "security"),
            Map.entry("mail_outbox", "mail"),
            Map.entry("event", "events"),
            Map.entry("event_pending", "events"),
            Map.entry("event_stream", "events"),
            Map.entry("event_sequencer", "events"),
            Map.entry("webhook_endpoint", "webhook"),
            Map.entry("webhook_attempt", "webhook"),
            Map.entry("sso_connection", "sso"),
            Map.entry("sso_settings", "sso"),
            Map.entry("sso_domain", "sso"),
            Map.entry("sso_access_grant", "sso"),
            Map.entry("sso_group_mapping", "sso"),
            Map.entry("sso_identity", "sso"),
            Map.entry("sso_link_request", "sso"),
            Map.entry("sso_authn_request", "sso"),
            Map.entry("sso_assertion_replay", "sso"),
            Map.entry("sso_logout_request", "sso"),
            Map.entry("sso_test_login", "sso"),
            Map.entry("invitation", "invitation"),
            Map.entry("invitation_team", "invitation"),
            Map.entry("invitation_replaced_link", "invitation"),
            Map.entry("resource", "resource"),
            Map.entry("resource_collaborator", "resource"),
            Map.entry("resource_collaborator_invitation", "resource"),
            Map.entry("team_quota", "resource"),
            Map.entry("lease", "resource"),
            Map.entry("scim_directory", "scim"),
            Map.entry("scim_token", "scim"),
            Map.entry("scim_settings", "scim"),
            Map.entry("scim_user", "scim"),
            Map.entry("scim_user_email", "scim"),
            Map.entry("scim_email_claim", "scim"),
            Map.entry("scim_group", "scim"),
            Map.entry("scim_group_member", "scim"),
            Map.entry("group_mapping", "scim"),
            Map.entry("group_mapping_team", "scim"),
            Map.entry("scim_request_log", "scim"),
            Map.entry("onboarding_step", "home"));

    /**
     * The reads across an ownership line that stay, each with its reason ("module → table"). The membership module
     * resolves an organization by slug together with the caller's membership in one statement on every request
     * ({@code MembershipRepository.access}, and the account's organizations for the header and two-factor checks).
     * The organization module cannot offer a named join for it: it depends on membership (through twofactor), so
     * membership using it would be a cycle. It reads {@code id}, {@code slug}, {@code name},
     * {@code require_two_factor} and {@code deleted_at}.
     */
    static final Map<String, String> CROSSINGS = Map.of(
            "membership → organization", "per-request access check in one statement; a named join would be a cycle");

    private static final Path MAIN = Path.of("src/main/java/dev/roster");
    private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"(.*?)\"\"\"", Pattern.DOTALL);
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Pattern TABLE = Pattern.compile("(?i)\\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\\s+([a-z_][a-z0-9_]*)");

    @Test
    void noModuleNamesAnotherModulesTable() {
        List<String> found = new ArrayList<>();
        for (Use use : uses()) {
            String owner = OWNERS.get(use.table());
            if (owner != null && !owner.equals(use.module())
                    && !CROSSINGS.containsKey(use.module() + " → " + use.table())) {
                found.add(use.file() + " names " + use.table() + ", which " + owner + " owns");
            }
        }
        assertThat(found).as("read another module's table through its read API or its named joins "
                + "(docs/architecture.md#who-owns-which-table)").isEmpty();
    }

    @Test
    void everyTableOfTheMigrationsHasAnOwnerThatIsAModule() throws IOException {
        Set<String> created = new TreeSet<>();
        Pattern create = Pattern.compile("(?i)CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?([a-z_][a-z0-9_]*)");
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            for (Path file : files.toList()) {
                Matcher m = create.matcher(Files.readString(file));
                while (m.find()) {
                    created.add(m.group(1).toLowerCase());
                }
            }
        }
        assertThat(created).isNotEmpty();
        assertThat(OWNERS.keySet()).as("a new table gets its owner here and in docs/architecture.md")
                .containsAll(created);
        assertThat(created).as("an owned table that no migration creates").containsAll(OWNERS.keySet());
        for (String module : new TreeSet<>(OWNERS.values())) {
            assertThat(MAIN.resolve(module)).as("module " + module).isDirectory();
        }
    }

    @Test
    void theScanSeesStatementsAndEveryCrossingIsStillNeeded() {
        List<Use> uses = uses();
        // The owners' own statements are seen, joins and text blocks included, or the first test would pass blind.
        assertThat(uses).contains(new Use("membership", "team_membership", "membership/MembershipRepository.java"),
                new Use("account", "account", "account/AccountJoins.java"),
                new Use("resource", "resource_collaborator", "resource/ResourceRepository.java"));
        for (String crossing : CROSSINGS.keySet()) {
            String[] parts = crossing.split(" → ");
            assertThat(uses).as("crossing " + crossing + " is no longer used: remove it from the list")
                    .anyMatch(use -> use.module().equals(parts[0]) && use.table().equals(parts[1]));
        }
    }

    record Use(String module, String table, String file) {
    }

    private static List<Use> uses() {
        try (Stream<Path> files = Files.walk(MAIN)) {
            List<Use> uses = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String relative = MAIN.relativize(file).toString().replace('\\', '/');
                if (!relative.contains("/")) {
                    continue; // the application class, in no module
                }
                String module = relative.substring(0, relative.indexOf('/'));
                for (String literal : literals(Files.readString(file))) {
                    Matcher m = TABLE.matcher(literal);
                    while (m.find()) {
                        String table = m.group(1).toLowerCase();
                        if (OWNERS.containsKey(table)) {
                            Use use = new Use(module, table, relative);
                            if (!uses.contains(use)) {
                                uses.add(use);
                            }
                        }
                    }
                }
            }
            return uses;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The text blocks and the ordinary string literals of a source file. */
    private static List<String> literals(String source) {
        List<String> literals = new ArrayList<>();
        Matcher blocks = TEXT_BLOCK.matcher(source);
        while (blocks.find()) {
            literals.add(blocks.group(1));
        }
        Matcher strings = STRING.matcher(TEXT_BLOCK.matcher(source).replaceAll(""));
        while (strings.find()) {
            literals.add(strings.group(1));
        }
        return literals;
    }
}
