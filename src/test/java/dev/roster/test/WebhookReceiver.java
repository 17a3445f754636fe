package dev.roster.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A host application's webhook endpoint for tests: a real HTTP server (the JDK's) on localhost that records every
 * delivery and answers with the statuses a test queues (200 once the queue is empty). Signatures are checked here
 * with the Standard Webhooks algorithm written out independently of Roster's code: HMAC-SHA256, keyed with the
 * base64-decoded secret after {@code whsec_}, over {@code id.timestamp.body}, compared with each {@code v1,}
 * signature of the header.
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();

    public record Answer(int status, String body, Map<String, String> headers) {
    }

    /** One request as it arrived. */
    public record Delivery(Instant receivedAt, String path, String id, String timestamp, String signature, String body,
                           String contentType) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            }
            catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        }

        public String type() {
            return json().path("type").asText();
        }

        /** Whether one of the signatures was made with this secret, by the specification's algorithm. */
        public boolean signedWith(String secret) {
            String expected = "v1," + sign(secret, id, timestamp, body);
            for (String candidate : signature.split(" ")) {
                if (MessageDigest.isEqual(candidate.getBytes(StandardCharsets.UTF_8),
                        expected.getBytes(StandardCharsets.UTF_8))) {
                    return true;
                }
            }
            return false;
        }

        public int signatureCount() {
            return signature.isBlank() ? 0 : signature.split(" ").length;
        }
    }

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    /** The Standard Webhooks signature: base64 of HMAC-SHA256 under the secret's bytes, over id.timestamp.body. */
    public static String sign(String secret, String id, String timestamp, String body) {
        String key = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(key), "HmacSHA256"));
            byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The URL to register; localhost is what the test configuration lets past the address guard. */
    public String url(String path) {
        return "http://localhost:" + server.getAddress().getPort() + path;
    }

    public String url() {
        return url("/hooks");
    }

    /** Queues the next answers, in order; after them every request is answered 200. */
    public void answer(int... statuses) {
        for (int status : statuses) {
            answers.add(new Answer(status, "answer " + status, Map.of()));
        }
    }

    public void answer(Answer answer) {
        answers.add(answer);
    }

    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** Deliveries of stream events (not tests), in the order they arrived. */
    public List<Delivery> events() {
        return deliveries.stream().filter(d -> !d.type().equals("webhook.test")).toList();
    }

    /** Waits up to 30 seconds for a delivery that matches, and returns the deliveries so far. */
    public List<Delivery> await(Predicate<List<Delivery>> condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.test(deliveries())) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the receiver did not get " + what + " within 30 s; it got "
                        + deliveries().stream().map(d -> d.type() + "/" + d.id()).toList());
            }
            pause();
        }
        return deliveries();
    }

    /** Waits for at least {@code count} deliveries in all. */
    public List<Delivery> awaitCount(int count) {
        return await(list -> list.size() >= count, count + " deliveries");
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        var headers = exchange.getRequestHeaders();
        deliveries.add(new Delivery(Instant.now(), exchange.getRequestURI().getPath(), headers.getFirst("webhook-id"),
                headers.getFirst("webhook-timestamp"), String.valueOf(headers.getFirst("webhook-signature")),
                new String(body, StandardCharsets.UTF_8), headers.getFirst("Content-Type")));
        Answer answer = answers.poll();
        if (answer == null) {
            answer = new Answer(200, "ok", Map.of());
        }
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
