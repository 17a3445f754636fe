package dev.roster.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;

import dev.roster.shared.OutboundAddresses;

/**
 * Sends one signed event to an endpoint: a POST of the event's JSON with the Standard Webhooks headers. The address
 * guard is asked before every send (the host's addresses may have changed since the URL was saved), redirects are
 * never followed (a 3xx is a failure like any other non-2xx), and the whole exchange, answer included, is cut off at
 * {@code roster.webhooks.timeout}. Only the answer's first kilobyte is kept.
 */
@Component
class WebhookSender {

    static final int MAX_ANSWER = 1024;
    private static final int MAX_ERROR = 1000;

    private final OutboundAddresses addresses;
    private final WebhookProperties properties;
    private final Clock clock;
    private final HttpClient client;

    WebhookSender(OutboundAddresses addresses, WebhookProperties properties, Clock clock) {
        this.addresses = addresses;
        this.properties = properties;
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(properties.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * What the endpoint answered.
     *
     * @param status the HTTP status, or null when there was no answer
     * @param body   the answer's first kilobyte
     * @param error  why there was no answer (or a description of a failing one)
     */
    record Outcome(Instant at, int durationMs, Integer status, String body, String error) {

        boolean succeeded() {
            return status != null && status >= 200 && status < 300;
        }

        boolean gone() {
            return status != null && status == 410;
        }
    }

    Outcome send(String url, String messageId, String body, List<String> secrets) {
        Instant at = clock.instant();
        long started = System.nanoTime();
        URI uri;
        try {
            uri = URI.create(url);
            addresses.check(uri);
        }
        catch (OutboundAddresses.RefusedException | IllegalArgumentException ex) {
            return new Outcome(at, 0, null, null, "Not sent: " + ex.getMessage());
        }
        long timestamp = at.getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(properties.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Roster-Webhooks/1")
                .header("webhook-id", messageId)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSigner.signature(secrets, messageId, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        CompletableFuture<HttpResponse<String>> exchange = client.sendAsync(request, info -> new FirstKilobyte());
        try {
            HttpResponse<String> response = exchange.get(properties.timeout().toMillis(), TimeUnit.MILLISECONDS);
            return new Outcome(at, elapsed(started), response.statusCode(), response.body(), null);
        }
        catch (TimeoutException ex) {
            exchange.cancel(true);
            return new Outcome(at, elapsed(started), null, null, "No answer within " + seconds(properties.timeout()));
        }
        catch (ExecutionException ex) {
            Throwable cause = ex.getCause() == null ? ex : ex.getCause();
            String error = cause instanceof HttpTimeoutException ? "No answer within " + seconds(properties.timeout())
                    : describe(cause);
            return new Outcome(at, elapsed(started), null, null, error);
        }
        catch (InterruptedException ex) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return new Outcome(at, elapsed(started), null, null, "Interrupted");
        }
    }

    private static int elapsed(long started) {
        return (int) Math.min(Integer.MAX_VALUE, Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static String describe(Throwable ex) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(ex);
        String message = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return message.length() > MAX_ERROR ? message.substring(0, MAX_ERROR) : message;
    }

    /** Keeps the first kilobyte of an answer and reads (and drops) the rest, so the connection can be reused. */
    private static final class FirstKilobyte implements HttpResponse.BodySubscriber<String> {

        private final byte[] kept = new byte[MAX_ANSWER];
        private int length;
        private final CompletableFuture<String> result = new CompletableFuture<>();

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int take = Math.min(buffer.remaining(), MAX_ANSWER - length);
                buffer.get(kept, length, take);
                length += take;
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            // A multi-byte character cut at the kilobyte becomes a replacement character; that is fine for a preview.
            result.complete(new String(kept, 0, length, StandardCharsets.UTF_8));
        }
    }
}
