package dev.roster.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

import dev.roster.shared.GuardedDnsResolver;
import dev.roster.shared.OutboundAddresses;

/**
 * Sends one signed event to an endpoint: a POST of the event's JSON with the Standard Webhooks headers.
 * <ul>
 * <li>The address guard is asked before every send (the host's addresses may have changed since the URL was saved),
 * and again by the client's DNS resolver when it opens a connection, so the client only ever connects to addresses
 * the guard accepted: a DNS answer that changes between the two cannot point it at the network Roster runs in.</li>
 * <li>Redirects are never followed: a 3xx is a failure like any other non-2xx.</li>
 * <li>The whole exchange, answer included, is cut off at {@code roster.webhooks.timeout}: a deadline aborts the
 * request, however slowly the host trickles its answer. Only the answer's first kilobyte is kept; the rest is read
 * and dropped so the connection can carry the next event.</li>
 * </ul>
 * A blocking HTTP/1.1 client with pooled connections (decisions/0019): deliveries are sent one after the other per
 * endpoint, and the JDK's asynchronous client cost about a millisecond of CPU per request on this path.
 */
@Component
class WebhookSender implements DisposableBean {

    static final int MAX_ANSWER = 1024;
    private static final int MAX_ERROR = 1000;

    private final OutboundAddresses addresses;
    private final WebhookProperties properties;
    private final Clock clock;
    private final CloseableHttpClient client;
    private final ScheduledExecutorService deadlines;

    WebhookSender(OutboundAddresses addresses, WebhookProperties properties, Clock clock) {
        this.addresses = addresses;
        this.properties = properties;
        this.clock = clock;
        Timeout timeout = Timeout.of(properties.timeout());
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new GuardedDnsResolver(addresses, true))
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout)
                                .setSocketTimeout(timeout).setTimeToLive(properties.timeout().multipliedBy(6).toMillis(),
                                        TimeUnit.MILLISECONDS).build())
                        .setMaxConnPerRoute(properties.workers()).setMaxConnTotal(properties.workers() * 2).build())
                .setDefaultRequestConfig(RequestConfig.custom().setRedirectsEnabled(false)
                        .setResponseTimeout(timeout).setConnectionRequestTimeout(timeout).build())
                .disableAutomaticRetries().disableCookieManagement().disableAuthCaching()
                .disableContentCompression().setUserAgent("Roster-Webhooks/1").build();
        this.deadlines = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("webhook-deadline-"));
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
        HttpPost request = new HttpPost(uri);
        request.setHeader("webhook-id", messageId);
        request.setHeader("webhook-timestamp", Long.toString(timestamp));
        request.setHeader("webhook-signature", WebhookSigner.signature(secrets, messageId, timestamp, body));
        request.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        AtomicBoolean cutOff = new AtomicBoolean();
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            cutOff.set(true);
            request.cancel();
        }, properties.timeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            Answer answer = client.execute(request, WebhookSender::firstKilobyte);
            return new Outcome(at, elapsed(started), answer.status(), answer.body(), null);
        }
        catch (IOException | RuntimeException ex) {
            if (cutOff.get() || ex instanceof java.net.SocketTimeoutException) {
                return new Outcome(at, elapsed(started), null, null, "No answer within " + seconds(properties.timeout()));
            }
            return new Outcome(at, elapsed(started), null, null, describe(ex));
        }
        finally {
            deadline.cancel(false);
        }
    }

    private record Answer(int status, String body) {
    }

    /** Keeps the first kilobyte of an answer and reads (and drops) the rest, so the connection can be reused. */
    private static Answer firstKilobyte(ClassicHttpResponse response) throws IOException {
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            return new Answer(response.getCode(), "");
        }
        try (InputStream in = entity.getContent()) {
            byte[] kept = in.readNBytes(MAX_ANSWER);
            in.transferTo(java.io.OutputStream.nullOutputStream());
            // A multi-byte character cut at the kilobyte becomes a replacement character; fine for a preview.
            return new Answer(response.getCode(), new String(kept, StandardCharsets.UTF_8));
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
        if (root instanceof GuardedDnsResolver.RefusedAddressException refused) {
            return "Not sent: " + refused.getMessage();
        }
        String message = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return message.length() > MAX_ERROR ? message.substring(0, MAX_ERROR) : message;
    }

    @Override
    public void destroy() throws IOException {
        deadlines.shutdownNow();
        client.close();
    }
}
