package dev.roster.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine's 1-minute load average during the run, sampled every five seconds: on a shared 2-core machine the
 * figures only mean something next to it (the benchmark's own processes account for about 2 to 3 of it).
 */
final class LoadMonitor {

    private final Thread thread;
    private final double atStart;
    private volatile double max;
    private volatile double sum;
    private volatile int samples;

    private LoadMonitor() {
        this.atStart = read();
        this.thread = new Thread(this::sample, "load-monitor");
        this.thread.setDaemon(true);
    }

    static LoadMonitor start() {
        LoadMonitor monitor = new LoadMonitor();
        monitor.thread.start();
        return monitor;
    }

    private void sample() {
        while (!Thread.currentThread().isInterrupted()) {
            double load = read();
            synchronized (this) {
                max = Math.max(max, load);
                sum += load;
                samples++;
            }
            try {
                Thread.sleep(5_000);
            }
            catch (InterruptedException ex) {
                return;
            }
        }
    }

    void stop() {
        thread.interrupt();
    }

    synchronized String describe() {
        return String.format(Locale.ROOT, "%.2f before the run; during it mean %.2f, max %.2f (1-minute, /proc/loadavg)",
                atStart, samples == 0 ? 0 : sum / samples, max);
    }

    private static double read() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        }
        catch (IOException | RuntimeException ex) {
            return Double.NaN;
        }
    }
}
