package dev.roster.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs {@code tasks} numbered pieces of work on {@code clients} threads, each thread taking the next number as soon
 * as it is done with one (closed loop: as many requests in flight as clients). A task times the requests it sends
 * through {@link Timer}; the phase's throughput is tasks per second of wall time.
 */
final class Load {

    private static final int MAX_ERRORS = 50;

    private Load() {
    }

    @FunctionalInterface
    interface Task {
        void run(int index, Timer timer);
    }

    /** Times requests by name; a task may send several (Entra's look-up, then its create). */
    static final class Timer {

        private final Map<String, Latencies> latencies;

        private Timer(Map<String, Latencies> latencies) {
            this.latencies = latencies;
        }

        void record(String name, long nanos) {
            latencies.computeIfAbsent(name, k -> new Latencies()).add(nanos);
        }

        <T> T time(String name, Supplier<T> request) {
            long start = System.nanoTime();
            T result = request.get();
            latencies.computeIfAbsent(name, k -> new Latencies()).add(System.nanoTime() - start);
            return result;
        }
    }

    /** What a phase measured. {@code rate} is tasks per second. */
    record Phase(String name, int clients, int tasks, double seconds, double rate,
                 Map<String, Latencies.Summary> latencies, int errors, List<String> firstErrors, CpuMeter.Used cpu) {

        Phase withCpu(CpuMeter.Used used) {
            return new Phase(name, clients, tasks, seconds, rate, latencies, errors, firstErrors, used);
        }

        /** CPU milliseconds per task of Roster, the database backends and the harness; null when not measured. */
        double[] cpuPerTask() {
            return cpu == null || tasks == 0 ? null
                    : new double[] {cpu.roster() / tasks, cpu.database() / tasks, cpu.harness() / tasks};
        }

        Latencies.Summary latency(String request) {
            return latencies.getOrDefault(request, new Latencies.Summary(0, 0, 0, 0, 0, 0));
        }

        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", name);
            json.put("clients", clients);
            json.put("tasks", tasks);
            json.put("seconds", Latencies.round(seconds));
            json.put("perSecond", Latencies.round(rate));
            Map<String, Object> requests = new LinkedHashMap<>();
            latencies.forEach((request, summary) -> requests.put(request, summary.json()));
            json.put("latencies", requests);
            double[] perTask = cpuPerTask();
            if (perTask != null) {
                Map<String, Object> cpuJson = new LinkedHashMap<>();
                cpuJson.put("rosterMsPerTask", Latencies.round(perTask[0]));
                cpuJson.put("databaseMsPerTask", Latencies.round(perTask[1]));
                cpuJson.put("harnessMsPerTask", Latencies.round(perTask[2]));
                json.put("cpu", cpuJson);
            }
            json.put("errors", errors);
            if (!firstErrors.isEmpty()) {
                json.put("firstErrors", firstErrors);
            }
            return json;
        }
    }

    /** Runs {@code client} in {@code clients} threads named {@code name-0}, {@code name-1}, … and waits for all. */
    static void inClients(String name, int clients, Runnable client) {
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread thread = new Thread(client, name + "-" + c);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new BenchFailure("interrupted", ex);
            }
        }
    }

    static Phase run(String name, int clients, int tasks, Task task) {
        Map<String, Latencies> latencies = new ConcurrentHashMap<>();
        Map<String, Latencies> ordered = new LinkedHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        List<String> firstErrors = new ArrayList<>();
        Timer timer = new Timer(new OrderedLatencies(latencies, ordered));
        long start = System.nanoTime();
        inClients(name, Math.max(1, clients), () -> {
            int index;
            while ((index = next.getAndIncrement()) < tasks && errors.get() < MAX_ERRORS) {
                try {
                    task.run(index, timer);
                }
                catch (RuntimeException ex) {
                    errors.incrementAndGet();
                    synchronized (firstErrors) {
                        if (firstErrors.size() < 5) {
                            firstErrors.add(ex.getMessage());
                        }
                    }
                }
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Latencies.Summary> summaries = new LinkedHashMap<>();
        synchronized (ordered) {
            ordered.forEach((request, recorded) -> summaries.put(request, recorded.summary()));
        }
        Phase phase = new Phase(name, clients, tasks, seconds, tasks / seconds, summaries, errors.get(),
                List.copyOf(firstErrors), null);
        if (errors.get() >= MAX_ERRORS) {
            throw new BenchFailure("phase " + name + " stopped after " + errors.get() + " errors: " + firstErrors);
        }
        return phase;
    }

    /**
     * Open loop: task {@code i} is due {@code i / perSecond} seconds after the start, whatever happened to the ones
     * before, and up to {@code maxInFlight} run at once. Besides the per-request latencies the tasks record, each
     * task's time from when it was due to when it finished is recorded as {@link #FROM_DUE}, so a server that falls
     * behind shows it in that latency (no coordinated omission), not in a lower rate of requests.
     */
    static Phase runAtRate(String name, double perSecond, int maxInFlight, int tasks, Task task) {
        long interval = (long) (1e9 / perSecond);
        long start = System.nanoTime() + 10_000_000;
        Task scheduled = (index, timer) -> {
            long due = start + index * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            try {
                task.run(index, timer);
            }
            finally {
                timer.record(FROM_DUE, System.nanoTime() - due);
            }
        };
        return run(name + " at " + Math.round(perSecond) + "/s offered", maxInFlight, tasks, scheduled);
    }

    /** The latency {@link #runAtRate} records for every task: from when it was due until it finished. */
    static final String FROM_DUE = "due→done";

    /** Keeps the order in which request names first appear, so tables read in the order requests are sent. */
    private static final class OrderedLatencies extends java.util.AbstractMap<String, Latencies> {

        private final Map<String, Latencies> all;
        private final Map<String, Latencies> ordered;

        OrderedLatencies(Map<String, Latencies> all, Map<String, Latencies> ordered) {
            this.all = all;
            this.ordered = ordered;
        }

        @Override
        public Latencies computeIfAbsent(String key,
                                         java.util.function.Function<? super String, ? extends Latencies> create) {
            Latencies existing = all.get(key);
            if (existing != null) {
                return existing;
            }
            synchronized (ordered) {
                return all.computeIfAbsent(key, k -> {
                    Latencies created = create.apply(k);
                    ordered.put(k, created);
                    return created;
                });
            }
        }

        @Override
        public java.util.Set<Entry<String, Latencies>> entrySet() {
            return all.entrySet();
        }
    }
}
