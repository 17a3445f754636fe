package dev.roster.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Scenario 4, SAML sign-in at the ACS. The connection is created through the admin API from the benchmark IdP's
 * metadata, with IdP-initiated sign-in allowed, so each login is one POST of a signed response (no AuthnRequest
 * round trip), and with {@code scimPolicy=provision} so people the SCIM directories did not create may join. A domain
 * grant on a domain the operator verified lets everyone in it join: each JIT login is a new person, so it creates the
 * account and the membership. The responses are built and signed before the clock starts; each has fresh IDs, since
 * the replay cache refuses an assertion ID it has seen. Then the same people sign in again (returning logins).
 */
final class SamlScenario {

    static final String DOMAIN = "sso.bench.test";
    private static final Duration VALIDITY = Duration.ofMinutes(30);

    private SamlScenario() {
    }

    static void run(Benchmark.Context context) throws Exception {
        BenchIdp idp = new BenchIdp();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("kind", "entra");
        request.put("name", "Bench IdP");
        request.put("metadataXml", idp.metadataXml());
        request.put("idpInitiated", true);
        request.put("scimPolicy", "provision");
        JsonNode connection = context.admin().post("/sso-connections", request).expect(201).json();
        String connectionId = connection.get("id").asText();
        String acsUrl = connection.get("acsUrl").asText();
        String spEntityId = connection.get("spEntityId").asText();
        context.admin().post("/sso-connections/" + connectionId + "/grants", Map.of("kind", "domain", "value", DOMAIN))
                .expect(201);
        String acsPath = acsUrl.substring(context.http().baseUrl().length());
        List<String> groups = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());

        int logins = context.config().logins();
        List<BenchIdp.Person> everyone = new ArrayList<>();
        Load.Phase last = null;
        for (int clients : context.config().clients()) {
            List<BenchIdp.Person> people = people(logins, groups);
            everyone.addAll(people);
            List<String> responses = sign(idp, acsUrl, spEntityId, people);
            last = context.run("saml", "JIT logins", clients, logins,
                    (i, timer) -> post(context.http(), acsPath, responses.get(i), timer));
            context.report().figure("saml", "JIT logins/s at " + clients + " clients", last.rate(), "logins/s",
                    clients == context.config().maxClients() ? Report.Target.atLeast(400) : null);
            context.report().figure("saml", "JIT login p99 at " + clients + " clients", last.latency("POST ACS").p99(),
                    "ms", null);
        }
        // A closed loop of 32 clients keeps 32 logins in flight, so its latency is 32 / rate by Little's law
        // whatever the server does; the latency target is about logins arriving at the target rate.
        double rate = context.config().samlRate();
        List<BenchIdp.Person> arriving = people(logins, groups);
        everyone.addAll(arriving);
        List<String> arrivingResponses = sign(idp, acsUrl, spEntityId, arriving);
        Load.Phase open = context.runAtRate("saml", "JIT logins", rate, 64, logins,
                (i, timer) -> post(context.http(), acsPath, arrivingResponses.get(i), timer));
        context.report().figure("saml", "JIT logins/s achieved at " + Math.round(rate) + "/s offered", open.rate(),
                "logins/s", null);
        context.report().figure("saml", "JIT login p99 at " + Math.round(rate) + "/s offered (from due)",
                open.latency(Load.FROM_DUE).p99(), "ms", Report.Target.below(50));
        int clients = context.config().maxClients();
        List<BenchIdp.Person> again = everyone.subList(0, Math.min(everyone.size(), logins));
        List<String> responses = sign(idp, acsUrl, spEntityId, again);
        Load.Phase returning = context.run("saml", "returning logins", clients, again.size(),
                (i, timer) -> post(context.http(), acsPath, responses.get(i), timer));
        context.report().figure("saml", "returning logins/s at " + clients + " clients", returning.rate(), "logins/s",
                null);
        context.report().figure("saml", "returning login p99 at " + clients + " clients",
                returning.latency("POST ACS").p99(), "ms", null);
    }

    private static List<BenchIdp.Person> people(int count, List<String> groups) {
        return IntStream.range(0, count).mapToObj(i -> {
            String id = UUID.randomUUID().toString();
            return new BenchIdp.Person(id, "jit-" + id.substring(0, 13) + "@" + DOMAIN, "Given" + i,
                    "Surname" + i, groups);
        }).toList();
    }

    private static void post(Http http, String acsPath, String samlResponse, Load.Timer timer) {
        String form = "SAMLResponse=" + Http.encode(samlResponse) + "&RelayState=%2F";
        Http.Response answer = timer.time("POST ACS", () -> http.post(acsPath, null,
                "application/x-www-form-urlencoded", form)).expect(302);
        // Success lands on the RelayState; a refusal is a redirect to /sso/error?reason=...
        if (answer.location() == null || answer.location().contains("/sso/error")) {
            throw new BenchFailure("sign-in refused: " + answer.location());
        }
    }

    /** Signs the responses on every core before the measurement starts. */
    private static List<String> sign(BenchIdp idp, String acsUrl, String spEntityId, List<BenchIdp.Person> people)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            List<Future<String>> signed = new ArrayList<>();
            for (BenchIdp.Person person : people) {
                signed.add(pool.submit(() -> idp.signedResponse(acsUrl, spEntityId, person, VALIDITY)));
            }
            List<String> responses = new ArrayList<>();
            for (Future<String> future : signed) {
                responses.add(future.get());
            }
            return responses;
        }
        finally {
            pool.shutdown();
        }
    }
}
