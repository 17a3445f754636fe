package dev.roster.sso;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** A browser for SAML flows over real HTTP: keeps cookies, does not follow redirects, posts forms. */
final class SamlBrowser {

    record Page(int status, String location, String body, List<String> setCookies) {

        Page(int status, String location, String body) {
            this(status, location, body, List.of());
        }

        /** The Set-Cookie header of the named cookie, if the answer set it. */
        Optional<String> setCookie(String name) {
            return setCookies.stream().filter(c -> c.startsWith(name + "=")).findFirst();
        }

        /** The query parameters of the redirect target. */
        Map<String, String> locationQuery() {
            Map<String, String> params = new LinkedHashMap<>();
            String query = URI.create(location).getRawQuery();
            if (query != null) {
                for (String pair : query.split("&")) {
                    int eq = pair.indexOf('=');
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return params;
        }
    }

    private final String baseUrl;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient client = HttpClient.newBuilder().cookieHandler(new LocalhostIsSecure(cookies))
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    SamlBrowser(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** The value of a cookie this browser holds, if any. */
    Optional<String> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue).findFirst();
    }

    Page get(String pathOrUrl) {
        return send(HttpRequest.newBuilder(uri(pathOrUrl)).GET());
    }

    Page post(String path, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Loads {@code formPage} for its CSRF token and posts {@code fields} to {@code action}, as its form would. */
    Page submit(String formPage, String action, Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        String token = dev.roster.test.TestSession.csrfToken(get(formPage).body());
        if (token != null) {
            all.put("_csrf", token);
        }
        return post(action, all);
    }

    /** Signs in with email and password, as the sign-in form does. */
    Page signIn(String email, String password) {
        return submit("/login", "/login", Map.of("email", email, "password", password));
    }

    private URI uri(String pathOrUrl) {
        return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl + pathOrUrl);
    }

    private Page send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Page(response.statusCode(), response.headers().firstValue("Location").orElse(null),
                    response.body(), response.headers().allValues("Set-Cookie"));
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Browsers treat {@code http://localhost} as a secure context and send {@code Secure} cookies there; Java's
     * cookie manager sends them only over HTTPS. The tests' Roster listens on plain HTTP at localhost while its
     * {@code roster.base-url} may say HTTPS, so this browser behaves as Chromium and Firefox do.
     */
    private static final class LocalhostIsSecure extends CookieHandler {

        private final CookieManager cookies;

        LocalhostIsSecure(CookieManager cookies) {
            this.cookies = cookies;
        }

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) throws IOException {
            boolean local = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost());
            return cookies.get(local && "http".equals(uri.getScheme()) ? secure(uri) : uri, requestHeaders);
        }

        @Override
        public void put(URI uri, Map<String, List<String>> responseHeaders) throws IOException {
            cookies.put(uri, responseHeaders);
        }

        private static URI secure(URI uri) {
            try {
                return new URI("https", uri.getUserInfo(), uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(),
                        uri.getFragment());
            }
            catch (java.net.URISyntaxException ex) {
                throw new IllegalStateException(ex);
            }
        }
    }
}
