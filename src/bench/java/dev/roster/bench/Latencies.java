package dev.roster.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latencies of one kind of request, in nanoseconds, recorded from many threads. Every sample is kept (a run has at
 * most a few hundred thousand), so percentiles are exact rather than estimated from buckets.
 */
final class Latencies {

    private long[] samples = new long[1024];
    private int count;

    synchronized void add(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = nanos;
    }

    synchronized int count() {
        return count;
    }

    /** p50, p95, p99, max and mean in milliseconds. */
    synchronized Summary summary() {
        if (count == 0) {
            return new Summary(0, 0, 0, 0, 0, 0);
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        double sum = 0;
        for (long sample : sorted) {
            sum += sample;
        }
        return new Summary(count, ms(percentile(sorted, 50)), ms(percentile(sorted, 95)), ms(percentile(sorted, 99)),
                ms(sorted[count - 1]), ms(sum / count));
    }

    private static double percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(double nanos) {
        return nanos / 1_000_000.0;
    }

    record Summary(int count, double p50, double p95, double p99, double max, double mean) {

        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("count", count);
            json.put("p50Ms", round(p50));
            json.put("p95Ms", round(p95));
            json.put("p99Ms", round(p99));
            json.put("maxMs", round(max));
            json.put("meanMs", round(mean));
            return json;
        }
    }

    static double round(double value) {
        return Math.round(value * 100.0) / 100.0;
    }
}
