package dev.roster.test;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the browser tests only where Chromium and its driver are installed (CI installs Debian's packages; see
 * {@code .ci/run}); elsewhere they are skipped with a message saying how to run them, so {@code ./mvnw verify} passes
 * on a machine with only a JDK. Nothing is ever downloaded.
 */
public class ChromiumAvailable implements ExecutionCondition {

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("ROSTER_CHROMIUM", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("ROSTER_CHROMEDRIVER",
            "/usr/bin/chromedriver"));

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return ConditionEvaluationResult.enabled("Chromium at " + CHROMIUM + ", driver at " + CHROMEDRIVER);
        }
        return ConditionEvaluationResult.disabled("Browser tests skipped: no Chromium at " + CHROMIUM
                + " or no chromedriver at " + CHROMEDRIVER + ". Install Debian's chromium and chromium-driver "
                + "packages (or set ROSTER_CHROMIUM and ROSTER_CHROMEDRIVER) to run them.");
    }
}
