package dev.roster.test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import javax.sql.DataSource;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import dev.roster.shared.database.FailFastDataSource;

/**
 * Counts the round trips Roster makes to the database while a test records: every statement executed (a JDBC batch
 * is one, the driver sends it in one go), every commit and rollback, every connection check. Installed between the
 * application's {@link FailFastDataSource} and the pool, so what Roster sees is unchanged; it records only the threads
 * a test names (the request threads of the embedded server, say) and only between {@link #record} and
 * {@link Recording#stop}.
 */
public final class RoundTrips {

    private static final Set<String> EXECUTING = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate", "executeBatch", "executeLargeBatch", "commit", "rollback", "isValid",
            "getParameterMetaData");

    private static volatile Recording current;

    private RoundTrips() {
    }

    /** What was recorded: each round trip as the statement's SQL (or commit, rollback). */
    public static final class Recording implements AutoCloseable {

        private final Predicate<Thread> threads;
        private final List<String> trips = new ArrayList<>();

        private Recording(Predicate<Thread> threads) {
            this.threads = threads;
        }

        private void add(String trip) {
            if (threads.test(Thread.currentThread())) {
                synchronized (trips) {
                    trips.add(trip);
                }
            }
        }

        public List<String> stop() {
            current = null;
            synchronized (trips) {
                return List.copyOf(trips);
            }
        }

        @Override
        public void close() {
            current = null;
        }
    }

    /** Starts recording the round trips of the threads that match. */
    public static Recording record(Predicate<Thread> threads) {
        Recording recording = new Recording(threads);
        current = recording;
        return recording;
    }

    /** The embedded server's request threads. */
    public static boolean requestThread(Thread thread) {
        return thread.getName().startsWith("http-nio-") || thread.getName().startsWith("https-jsse-nio-");
    }

    private static void count(String trip) {
        Recording recording = current;
        if (recording != null) {
            recording.add(trip);
        }
    }

    /**
     * Puts the counter behind the application's data source, once every bean is made (so after the
     * {@link FailFastDataSource} has wrapped the pool, whatever the order of the post-processors).
     */
    static SmartInitializingSingleton installer(DataSource dataSource) {
        return () -> {
            if (!(dataSource instanceof FailFastDataSource failFast)) {
                throw new IllegalStateException("the application's data source is not the FailFastDataSource");
            }
            if (!(failFast.getTargetDataSource() instanceof Counting)) {
                failFast.setTargetDataSource(new Counting(failFast.getTargetDataSource()));
            }
        };
    }

    private static final class Counting extends DelegatingDataSource {

        Counting(DataSource pool) {
            super(pool);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return wrap(super.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return wrap(super.getConnection(username, password));
        }

        private static Connection wrap(Connection connection) {
            return (Connection) Proxy.newProxyInstance(RoundTrips.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, new Handler(connection, null));
        }
    }

    /** Counts the calls that reach the database, and wraps the statements a connection makes. */
    private record Handler(Object target, String sql) implements InvocationHandler {

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("unwrap") && args[0] instanceof Class<?> type && type.isInstance(target)) {
                return target;
            }
            if (EXECUTING.contains(name)) {
                String text = sql != null ? sql : args != null && args.length > 0 && args[0] instanceof String s ? s
                        : name;
                count(name.startsWith("execute") ? text.strip().replaceAll("\\s+", " ") : name);
            }
            Object result;
            try {
                result = method.invoke(target, args);
            }
            catch (InvocationTargetException ex) {
                throw ex.getCause();
            }
            if (result instanceof CallableStatement || result instanceof PreparedStatement
                    || result instanceof Statement) {
                Class<?> type = result instanceof CallableStatement ? CallableStatement.class
                        : result instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
                String statementSql = name.startsWith("prepare") && args != null && args[0] instanceof String s ? s
                        : null;
                return Proxy.newProxyInstance(RoundTrips.class.getClassLoader(), new Class<?>[] {type},
                        new Handler(result, statementSql));
            }
            return result;
        }
    }
}
