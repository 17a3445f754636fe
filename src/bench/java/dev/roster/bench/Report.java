package dev.roster.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Everything a run measured: the phases with their latency percentiles, the headline figures compared with the
 * issue's targets, and notes (row counts, the database ceiling). Printed as tables and written as JSON.
 */
final class Report {

    /** A target from the issue: at least or at most a value. */
    record Target(String comparison, double value) {

        static Target atLeast(double value) {
            return new Target(">=", value);
        }

        static Target below(double value) {
            return new Target("<", value);
        }

        boolean met(double measured) {
            return comparison.equals(">=") ? measured >= value : measured < value;
        }

        @Override
        public String toString() {
            return comparison + " " + format(value);
        }
    }

    record Figure(String scenario, String name, double value, String unit, Target target) {

        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("scenario", scenario);
            json.put("name", name);
            json.put("value", Latencies.round(value));
            json.put("unit", unit);
            if (target != null) {
                json.put("target", target.toString() + " " + unit);
                json.put("met", target.met(value));
            }
            return json;
        }
    }

    private record ScenarioPhase(String scenario, Load.Phase phase) {
    }

    private final Map<String, Object> environment = new LinkedHashMap<>();
    private final List<ScenarioPhase> phases = new ArrayList<>();
    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, Map<String, Object>> notes = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();

    void environment(String key, Object value) {
        environment.put(key, value);
    }

    Load.Phase phase(String scenario, Load.Phase phase) {
        synchronized (phases) {
            phases.add(new ScenarioPhase(scenario, phase));
        }
        double[] cpu = phase.cpuPerTask();
        System.out.printf(Locale.ROOT, "  %-34s %3d clients %8d tasks %8.1f s %10.1f /s%s%s%n", phase.name(),
                phase.clients(), phase.tasks(), phase.seconds(), phase.rate(), cpu == null ? ""
                        : String.format(Locale.ROOT, "  CPU ms/task Roster %.2f DB %.2f harness %.2f", cpu[0], cpu[1],
                        cpu[2]),
                phase.errors() > 0 ? "  ERRORS: " + phase.errors() + " " + phase.firstErrors() : "");
        return phase;
    }

    void figure(String scenario, String name, double value, String unit, Target target) {
        figures.add(new Figure(scenario, name, value, unit, target));
    }

    void note(String scenario, String key, Object value) {
        notes.computeIfAbsent(scenario, k -> new LinkedHashMap<>()).put(key, value);
    }

    void failure(String scenario, Throwable ex) {
        failures.add(scenario + ": " + ex);
    }

    boolean failed() {
        return !failures.isEmpty();
    }

    void print(PrintStream out) {
        out.println();
        out.println("== Environment");
        environment.forEach((k, v) -> out.printf(Locale.ROOT, "  %-22s %s%n", k, v));
        out.println();
        out.println("== Phases (latency per request, ms)");
        out.printf(Locale.ROOT, "  %-12s %-30s %4s %8s %8s %9s  %-18s %8s %8s %8s %8s   %s%n", "scenario", "phase",
                "cli", "tasks", "s", "tasks/s", "request", "p50", "p95", "p99", "max",
                "CPU ms/task: Roster DB harness");
        for (ScenarioPhase entry : phases) {
            Load.Phase p = entry.phase();
            boolean first = true;
            for (var latency : p.latencies().entrySet()) {
                Latencies.Summary s = latency.getValue();
                if (first) {
                    double[] cpu = p.cpuPerTask();
                    out.printf(Locale.ROOT, "  %-12s %-30s %4d %8d %8.1f %9.1f  %-18s %8.2f %8.2f %8.2f %8.1f   %s%n",
                            entry.scenario(), p.name(), p.clients(), p.tasks(), p.seconds(), p.rate(),
                            latency.getKey(), s.p50(), s.p95(), s.p99(), s.max(), cpu == null ? ""
                                    : String.format(Locale.ROOT, "%6.2f %6.2f %6.2f", cpu[0], cpu[1], cpu[2]));
                    first = false;
                }
                else {
                    out.printf(Locale.ROOT, "  %-12s %-30s %4s %8s %8s %9s  %-18s %8.2f %8.2f %8.2f %8.1f%n", "", "",
                            "", "", "", "", latency.getKey(), s.p50(), s.p95(), s.p99(), s.max());
                }
            }
            if (p.errors() > 0) {
                out.printf(Locale.ROOT, "  %-12s %-30s ERRORS: %d, first: %s%n", "", "", p.errors(), p.firstErrors());
            }
        }
        out.println();
        out.println("== Figures and the issue's targets");
        for (Figure f : figures) {
            String verdict = f.target() == null ? "" : (f.target().met(f.value()) ? "met   " : "MISSED") + "  target "
                    + f.target() + " " + f.unit();
            out.printf(Locale.ROOT, "  %-12s %-52s %12s %-10s %s%n", f.scenario(), f.name(), format(f.value()),
                    f.unit(), verdict);
        }
        if (!notes.isEmpty()) {
            out.println();
            out.println("== Notes");
            notes.forEach((scenario, values) -> values.forEach((k, v) ->
                    out.printf(Locale.ROOT, "  %-12s %-40s %s%n", scenario, k, v)));
        }
        if (!failures.isEmpty()) {
            out.println();
            out.println("== FAILED");
            failures.forEach(f -> out.println("  " + f));
        }
    }

    void writeJson(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("environment", environment);
        List<Object> phaseJson = new ArrayList<>();
        for (ScenarioPhase entry : phases) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("scenario", entry.scenario());
            p.putAll(entry.phase().json());
            phaseJson.add(p);
        }
        json.put("figures", figures.stream().map(Figure::json).toList());
        json.put("phases", phaseJson);
        json.put("notes", notes);
        json.put("failures", failures);
        Files.createDirectories(file.getParent());
        Http.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }

    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e12) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%,.0f" : "%.2f", value);
    }
}
