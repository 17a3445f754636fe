package dev.roster.test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A Prometheus scrape of {@code /actuator/prometheus}, as a scraper with (or without) the test profile's metrics
 * token sends it.
 */
public record Scrape(int status, String body, HttpResponse<String> response) {

    /** The token application-test.yml sets as roster.metrics.token. */
    public static final String TOKEN = "test-metrics-token";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static Scrape of(String baseUrl, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Scrape(response.statusCode(), response.body(), response);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** The sample lines of a metric (not its HELP and TYPE) whose labels include every one given ({@code k="v"}). */
    public List<String> samples(String metric, String... labels) {
        return body.lines().filter(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "))
                .filter(line -> Arrays.stream(labels).allMatch(line::contains)).toList();
    }

    /** The sum of the values of those lines. */
    public double sum(String metric, String... labels) {
        return samples(metric, labels).stream()
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
