package dev.roster.operations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import dev.roster.RosterApplication;
import dev.roster.test.TcpProxy;
import dev.roster.test.TestEnvironment;

/**
 * A second Roster on this run's database (the shared test context is the first), whose every database connection goes
 * through a {@link TcpProxy} the test can cut. Its driver sends statement texts on every execution
 * ({@code prepareThreshold=0}), so the proxy can pick out one transaction by its SQL.
 */
final class ProxiedInstance implements AutoCloseable {

    private static final Pattern POSTGRES = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/(.+)");

    final TcpProxy proxy;
    final ConfigurableApplicationContext context;
    final String baseUrl;

    private ProxiedInstance(TcpProxy proxy, ConfigurableApplicationContext context) {
        this.proxy = proxy;
        this.context = context;
        this.baseUrl = "http://localhost:" + context.getEnvironment().getRequiredProperty("local.server.port");
    }

    /** Whether this run's database is a PostgreSQL server the proxy can stand in front of. */
    static boolean possible() {
        return POSTGRES.matcher((String) TestEnvironment.properties().get("spring.datasource.url")).matches();
    }

    static ProxiedInstance start(String... arguments) {
        Map<String, Object> properties = new HashMap<>(TestEnvironment.properties());
        Matcher url = POSTGRES.matcher((String) properties.get("spring.datasource.url"));
        if (!url.matches()) {
            throw new IllegalStateException("not a PostgreSQL URL: " + properties.get("spring.datasource.url"));
        }
        TcpProxy proxy;
        try {
            proxy = new TcpProxy(url.group(1), url.group(2) == null ? 5432 : Integer.parseInt(url.group(2)));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        // A small pool: the test database serves every parallel test run.
        properties.put("spring.datasource.hikari.maximum-pool-size", 5);
        String database = url.group(3);
        properties.put("spring.datasource.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database
                + (database.contains("?") ? "&" : "?") + "prepareThreshold=0");
        String[] args = new String[arguments.length + 3];
        args[0] = "--server.port=0";
        args[1] = "--spring.main.banner-mode=off";
        args[2] = "--spring.jmx.enabled=false";
        System.arraycopy(arguments, 0, args, 3, arguments.length);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(RosterApplication.class).profiles("test")
                .initializers(app -> app.getEnvironment().getPropertySources()
                        .addFirst(new MapPropertySource("roster-test-proxied", properties)))
                .run(args);
        return new ProxiedInstance(proxy, context);
    }

    @Override
    public void close() throws IOException {
        context.close();
        proxy.close();
    }
}
