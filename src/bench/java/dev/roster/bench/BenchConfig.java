package dev.roster.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Sizes and switches, from system properties ({@code ./mvnw -Pbench verify -Dbench.users=20000}). The defaults are a
 * quick run of a few minutes; {@code -Dbench.full=true} switches every size to the (100,000 users, 1,000
 * groups, 200,000 memberships, the 1,000,000-member heap check), and any single property still overrides.
 */
record BenchConfig(boolean full, int users, int groups, int memberships, int membersPerPatch, List<Integer> clients,
                   int sweepUsers, int largeGroup, double samlRate, int decisionWarmup, int largeGroupRepeats, int groupReads, int lookups, int logins,
                   int decisions, int removalTrials, int millionMembers, Set<String> scenarios, boolean jfr,
                   String heap, List<String> jvmArgs, Map<String, String> rosterEnv, Map<String, String> dbSettings,
                   String dbHost, int dbPort,
                   String dbUser, String dbPassword, boolean keepDatabase, String output, int startupTimeoutSeconds,
                   int ceilingConnections, String jar, int analyzeSeconds, boolean cds, int nostatsUsers,
                   int nostatsMeasured, int nostatsClients) {

    static final List<String> ALL_SCENARIOS = List.of("entra", "okta", "large-group", "saml", "decisions", "ceiling",
            "million", "webhooks", "nostats", "polis");

    static BenchConfig fromSystemProperties() {
        boolean full = bool("bench.full", false);
        int users = integer("bench.users", full ? 100_000 : 10_000);
        Set<String> scenarios = Set.copyOf(list("bench.scenarios", String.join(",", ALL_SCENARIOS)));
        for (String scenario : scenarios) {
            if (!ALL_SCENARIOS.contains(scenario)) {
                throw new IllegalArgumentException("bench.scenarios: unknown scenario '" + scenario + "'; known: "
                        + ALL_SCENARIOS);
            }
        }
        if (!System.getProperties().containsKey("bench.scenarios")) {
            // The million members take minutes (full runs only); the webhook scenario's four Entra cycles run when
            // asked for by name (-Dbench.scenarios=webhooks), and so does nostats, which turns the harness's periodic
            // ANALYZE off for the whole run; polis (the side by side with Ory Polis) needs Node.js and npm, installs
            // packages and runs minutes of fixed-time load.
            scenarios = scenarios.stream().filter(s -> !s.equals("webhooks") && !s.equals("nostats")
                            && !s.equals("polis") && (full || !s.equals("million")))
                    .collect(Collectors.toUnmodifiableSet());
        }
        return new BenchConfig(full, users,
                integer("bench.groups", full ? 1_000 : 100),
                integer("bench.memberships", full ? 200_000 : 20_000),
                integer("bench.membersPerPatch", 50),
                list("bench.clients", "1,8,32").stream().map(Integer::parseInt).toList(),
                integer("bench.sweepUsers", full ? 5_000 : 1_000),
                integer("bench.largeGroup", 10_000),
                Double.parseDouble(System.getProperty("bench.samlRate", "400")),
                integer("bench.decisionWarmup", 20_000),
                integer("bench.largeGroupRepeats", 3),
                integer("bench.groupReads", 20),
                integer("bench.lookups", full ? 10_000 : 2_000),
                integer("bench.logins", full ? 4_000 : 1_000),
                integer("bench.decisions", full ? 20_000 : 5_000),
                integer("bench.removalTrials", 20),
                integer("bench.millionMembers", 1_000_000),
                scenarios,
                bool("bench.jfr", false),
                System.getProperty("bench.heap", "512m"),
                list("bench.jvmArgs", "").stream().toList(),
                env(System.getProperty("bench.rosterEnv", "")),
                env(System.getProperty("bench.dbSettings", "")),
                System.getProperty("bench.db.host", "127.0.0.1"),
                integer("bench.db.port", 5432),
                System.getProperty("bench.db.user", "postgres"),
                System.getProperty("bench.db.password", ""),
                bool("bench.keepDatabase", false),
                System.getProperty("bench.output", "target/bench"),
                integer("bench.startupTimeout", 300),
                integer("bench.ceilingConnections", 2),
                System.getProperty("bench.jar"),
                integer("bench.analyzeSeconds", 30),
                bool("bench.cds", true),
                integer("bench.nostatsUsers", full ? 50_000 : 20_000),
                integer("bench.nostatsMeasured", 5_000),
                integer("bench.nostatsClients", 8));
    }

    boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }

    int maxClients() {
        return clients.stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("full", full);
        json.put("users", users);
        json.put("groups", groups);
        json.put("memberships", memberships);
        json.put("membersPerPatch", membersPerPatch);
        json.put("clients", clients);
        json.put("sweepUsers", sweepUsers);
        json.put("largeGroup", largeGroup);
        json.put("largeGroupRepeats", largeGroupRepeats);
        json.put("lookups", lookups);
        json.put("logins", logins);
        json.put("samlRate", samlRate);
        json.put("decisionWarmup", decisionWarmup);
        json.put("decisions", decisions);
        json.put("removalTrials", removalTrials);
        json.put("millionMembers", millionMembers);
        json.put("scenarios", ALL_SCENARIOS.stream().filter(scenarios::contains).toList());
        json.put("heap", heap);
        if (jar != null) {
            json.put("jar", jar);
        }
        json.put("jvmArgs", jvmArgs);
        json.put("rosterEnv", rosterEnv);
        json.put("dbSettings", dbSettings);
        json.put("analyzeSeconds", analyzeSeconds);
        json.put("cds", cds);
        if (runs("nostats")) {
            json.put("nostatsUsers", nostatsUsers);
            json.put("nostatsMeasured", nostatsMeasured);
            json.put("nostatsClients", nostatsClients);
        }
        return json;
    }

    private static boolean bool(String name, boolean fallback) {
        String value = System.getProperty(name);
        return value == null ? fallback : value.isEmpty() || Boolean.parseBoolean(value);
    }

    private static int integer(String name, int fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.replace("_", "").trim());
    }

    private static List<String> list(String name, String fallback) {
        String value = System.getProperty(name, fallback);
        return Arrays.stream(value.split("[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static Map<String, String> env(String value) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String pair : value.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                env.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return env;
    }
}
