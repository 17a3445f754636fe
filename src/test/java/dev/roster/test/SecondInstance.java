package dev.roster.test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.roster.RosterApplication;

/**
 * A second Roster on this run's database, as another instance behind the same load balancer: an independent
 * application context, started by the first test class that asks for it and stopped by that class's
 * {@code @AfterAll} ({@link #stop}), so its schedulers (mail, webhooks) do not run beside the tests of other classes.
 * The shared test context is the first instance.
 */
public final class SecondInstance {

    private static ConfigurableApplicationContext context;

    private SecondInstance() {
    }

    public static synchronized ConfigurableApplicationContext context() {
        if (context == null) {
            // The initializer puts this run's database first, above application.yml, exactly as for the first.
            context = new SpringApplicationBuilder(RosterApplication.class).profiles("test")
                    .initializers(new TestEnvironment())
                    .run("--server.port=0", "--spring.main.banner-mode=off", "--spring.jmx.enabled=false");
        }
        return context;
    }

    public static synchronized void stop() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    public static String baseUrl() {
        return "http://localhost:" + context().getEnvironment().getRequiredProperty("local.server.port");
    }
}
