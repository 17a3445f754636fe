package dev.roster.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.roster.test.RosterIntegrationTest;
import dev.roster.test.TestApi;
import dev.roster.test.TestData;
import dev.roster.sso.access.SsoDomainService;
import dev.roster.sso.saml.SpUrls;

/**
 * Every unauthenticated SAML endpoint (the ACS, single logout, SP metadata, the start of a sign-in and the SSO sign-in
 * page) answers malformed, deeply nested, oversized and unknown-connection input with a 4xx and a page, never a 500
 * or a stack trace. Before the rule, a response nested 25,000 elements deep threw {@code StackOverflowError} inside
 * OpenSAML, {@code <x/>} posted to an unknown or non-UUID connection threw {@code Saml2Exception}, and a message of
 * 300 KB (decoded) was parsed although the limit is 256 KB.
 */
@RosterIntegrationTest
class SamlEndpointsRefuseMalformedInputTest {

    private static final int LIMIT = 256 * 1024;

    @Autowired
    TestApi api;
    @Autowired
    TestData data;
    @Autowired
    SsoDomainService domains;

    private static SsoFixture shared;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private SsoFixture sso() {
        if (shared == null) {
            shared = SsoFixture.create(api, data, domains, "entra", Map.of());
            shared.grant("domain", shared.domain);
        }
        return shared;
    }

    record Answer(int status, String contentType, String body) {
    }

    @Test
    void aResponseNestedTwentyFiveThousandElementsDeepIsRefusedWith400() {
        SsoFixture sso = sso();
        String deep = "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_d\" Version=\"2.0\">"
                + "<a>".repeat(25_000) + "</a>".repeat(25_000) + "</samlp:Response>";
        Answer answer = post(sso.acsPath(), "SAMLResponse", base64(deep));
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertAPage(answer);
        Answer logout = post(SpUrls.SLO_PATH + sso.id(), "SAMLRequest", base64(deep));
        assertThat(logout.status()).as(logout.body()).isEqualTo(400);
        Answer redirect = get(sso.acsPath() + "?SAMLResponse=" + url(deflated(deep)));
        assertThat(redirect.status()).as(redirect.body()).isEqualTo(400);
    }

    @Test
    void aMessageOverTheDecodedLimitIsRefusedWith413WhateverTheBinding() {
        SsoFixture sso = sso();
        // 300 KB once decoded: its base64 (400 KB) is under the body limit, so only a decoded-size check stops it.
        String big = signedLookingResponse("x".repeat(300 * 1024));
        assertThat(big.length()).isGreaterThan(LIMIT);
        assertThat(base64(big).length()).isLessThan(2 * LIMIT);
        for (String path : List.of(sso.acsPath(), SpUrls.SLO_PATH + sso.id())) {
            for (String parameter : List.of("SAMLResponse", "SAMLRequest")) {
                Answer posted = post(path, parameter, base64(big));
                assertThat(posted.status()).as(path + " " + parameter).isEqualTo(413);
                assertAPage(posted);
                Answer redirected = get(path + "?" + parameter + "=" + url(deflated(big)));
                assertThat(redirected.status()).as(path + " " + parameter + " (redirect)").isEqualTo(413);
            }
        }
        // Just under the limit is not refused for its size.
        Answer under = post(sso.acsPath(), "SAMLResponse", base64(signedLookingResponse("y".repeat(200 * 1024))));
        assertThat(under.status()).isNotEqualTo(413).isLessThan(500);
    }

    @Test
    void aMessageToAnUnknownOrMalformedConnectionIsRefusedWith404() {
        for (String connection : List.of(UUID.randomUUID().toString(), "not-a-uuid", "x".repeat(300), "%2e%2e",
                "00000000-0000-0000-0000-00000000000g")) {
            for (String body : List.of("<x/>", signedLookingResponse("u"))) {
                Answer acs = post(SpUrls.ACS_PATH + connection, "SAMLResponse", base64(body));
                assertThat(acs.status()).as(connection + " " + acs.body()).isEqualTo(404);
                assertAPage(acs);
                Answer acsGet = get(SpUrls.ACS_PATH + connection + "?SAMLResponse=" + url(deflated(body)));
                assertThat(acsGet.status()).as(connection).isEqualTo(404);
                Answer slo = post(SpUrls.SLO_PATH + connection, "SAMLRequest", base64(body));
                assertThat(slo.status()).as(connection).isEqualTo(404);
                Answer sloGet = get(SpUrls.SLO_PATH + connection + "?SAMLRequest=" + url(deflated(body)));
                assertThat(sloGet.status()).as(connection).isEqualTo(404);
            }
            assertThat(get(SpUrls.METADATA_PATH + connection).status()).as(connection).isEqualTo(404);
            assertThat(get(SpUrls.AUTHENTICATE_PATH + connection).status()).as(connection).isEqualTo(404);
        }
    }

    /**
     * The fuzz: every endpoint, every binding, a known connection and unknown ones, with payloads that break the
     * encoding, the XML, the SAML, or the limits. Nothing may answer 5xx or show a stack trace.
     */
    @Test
    void noMalformedInputAtAnyUnauthenticatedSamlEndpointAnswers5xx() {
        SsoFixture sso = sso();
        List<String> connections = List.of(sso.id(), UUID.randomUUID().toString(), "not-a-uuid", "%00", "a%2Fb");
        Map<String, String> payloads = payloads(sso);
        List<String> failures = new ArrayList<>();
        for (String connection : connections) {
            for (Map.Entry<String, String> payload : payloads.entrySet()) {
                for (String parameter : List.of("SAMLResponse", "SAMLRequest")) {
                    for (String base : List.of(SpUrls.ACS_PATH, SpUrls.SLO_PATH)) {
                        String path = base + connection;
                        check(failures, "POST " + path + " " + parameter + "=" + payload.getKey(),
                                post(path, Map.of(parameter, payload.getValue(), "RelayState", junkRelayState())));
                        check(failures, "GET " + path + " " + parameter + "=" + payload.getKey(),
                                get(path + "?" + parameter + "=" + url(payload.getValue()) + "&RelayState=%00%ff"));
                    }
                }
            }
            for (String query : List.of("", "?returnTo=" + url("x".repeat(5000)), "?invitation=" + url("\u0000\u202e"),
                    "?test=not-a-uuid", "?test=" + UUID.randomUUID(), "?returnTo=%2F%2Fevil.test")) {
                check(failures, "GET authenticate " + connection + query, get(SpUrls.AUTHENTICATE_PATH + connection + query));
            }
            check(failures, "GET metadata " + connection, get(SpUrls.METADATA_PATH + connection));
            check(failures, "POST metadata " + connection, post(SpUrls.METADATA_PATH + connection, Map.of()));
        }
        for (String query : List.of("", "?email=" + url("\u0000@\u202e"), "?returnTo=" + url("x".repeat(5000)),
                "?required&email=" + url("a".repeat(3000) + "@x.test"))) {
            check(failures, "GET /sso/login" + query, get("/sso/login" + query));
            check(failures, "POST /sso/login" + query, post("/sso/login" + query, Map.of("email", "a@b")));
        }
        check(failures, "GET /sso/error", get("/sso/error?reason=" + url("<script>")));
        assertThat(failures).isEmpty();
    }

    private Map<String, String> payloads(SsoFixture sso) {
        Map<String, String> payloads = new LinkedHashMap<>();
        payloads.put("empty", "");
        payloads.put("not base64", "!!!***not base64***!!!");
        payloads.put("base64 of text", base64("hello, this is not XML"));
        payloads.put("<x/>", base64("<x/>"));
        payloads.put("truncated XML", base64("<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\""));
        payloads.put("XML declaration only", base64("<?xml version=\"1.0\"?>"));
        payloads.put("doctype", base64("<!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><r>&e;</r>"));
        payloads.put("billion laughs", base64("<!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;"
                + "&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><l>&c;</l>"));
        payloads.put("wrong root", base64("<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" "
                + "ID=\"_x\" Version=\"2.0\" IssueInstant=\"2020-01-01T00:00:00Z\"/>"));
        payloads.put("response without assertion", base64(signedLookingResponse("")));
        payloads.put("logout request unsigned", base64("<samlp:LogoutRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:"
                + "protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_l\" Version=\"2.0\" "
                + "IssueInstant=\"2020-01-01T00:00:00Z\"><saml:NameID>x</saml:NameID></samlp:LogoutRequest>"));
        payloads.put("bad namespace", base64("<a:b xmlns:a=\"\"/>"));
        payloads.put("deep 2000", base64("<a>".repeat(2000) + "</a>".repeat(2000)));
        payloads.put("deep 25000", base64("<a>".repeat(25_000) + "</a>".repeat(25_000)));
        payloads.put("wide", base64("<r>" + "<a/>".repeat(40_000) + "</r>"));
        payloads.put("many attributes", base64("<r " + manyAttributes() + "/>"));
        payloads.put("invalid UTF-8", Base64.getEncoder().encodeToString(new byte[] {'<', 'r', '>', (byte) 0xC3,
                (byte) 0x28, '<', '/', 'r', '>'}));
        payloads.put("deflated, posted", deflated("<x/>"));
        payloads.put("300 KB", base64(signedLookingResponse("z".repeat(300 * 1024))));
        payloads.put("a valid response's signature broken", base64(sso.idp.responseXml(TestIdp.entra(sso.spec(),
                UUID.randomUUID().toString(), sso.email("fuzz"), "F", "Z")).replace("SignatureValue>", "SignatureValue>AAAA")));
        return payloads;
    }

    private static String manyAttributes() {
        StringBuilder attributes = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            attributes.append("a").append(i).append("=\"v\" ");
        }
        return attributes.toString();
    }

    private static String junkRelayState() {
        return "\u0000/\\evil\u202e" + "r".repeat(500);
    }

    private static void check(List<String> failures, String what, Answer answer) {
        if (answer.status() >= 500) {
            failures.add(what + " -> " + answer.status());
        }
        else if (answer.body().contains("Exception") || answer.body().contains("\tat ")
                || answer.body().contains("org.opensaml") || answer.body().contains("org.springframework")) {
            failures.add(what + " -> a stack trace or exception in the body");
        }
    }

    private static void assertAPage(Answer answer) {
        assertThat(answer.contentType()).startsWith("text/html");
        assertThat(answer.body()).contains("<h1").doesNotContain("Exception");
    }

    /** A Response element that parses as SAML, with optional padding inside (no signature: it never gets that far). */
    private static String signedLookingResponse(String padding) {
        return "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" "
                + "xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_r" + UUID.randomUUID()
                + "\" Version=\"2.0\" IssueInstant=\"2026-01-01T00:00:00Z\"><saml:Issuer>https://idp.test/x"
                + "</saml:Issuer><!--" + padding + "--><samlp:Status><samlp:StatusCode "
                + "Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></samlp:Status></samlp:Response>";
    }

    private static String base64(String xml) {
        return Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8));
    }

    private static String deflated(String xml) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(xml.getBytes(StandardCharsets.UTF_8));
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    private static String url(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private Answer post(String path, String parameter, String value) {
        return post(path, Map.of(parameter, value));
    }

    private Answer post(String path, Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((name, value) -> body.append(body.isEmpty() ? "" : "&").append(url(name)).append('=')
                .append(url(value)));
        return send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private Answer get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(api.baseUrl() + pathAndQuery)).GET());
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.header("Accept", "text/html,*/*;q=0.8")
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        }
        catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
