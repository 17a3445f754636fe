package dev.roster.shared.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The application's DataSource: the connection pool, except that while the {@link DatabaseProbe} finds the database
 * unreachable a connection is refused at once instead of after the pool's connection timeout. A request then fails
 * in milliseconds and is answered 503, and a request that has already waited once for the pool does not wait again
 * for its second statement. A pool timeout makes the probe ask again straight away. Its connections send a
 * transaction's {@link DeferredWrites} before the transaction's next statement ({@link FlushingConnection}).
 */
public class FailFastDataSource extends DelegatingDataSource {

    private final DatabaseProbe probe;
    private volatile boolean serving;

    FailFastDataSource(DataSource pool, DatabaseProbe probe) {
        super(pool);
        this.probe = probe;
    }

    /**
     * From now on, connections are refused while the probe finds the database unreachable. Until then (start-up:
     * the migrations, the demo data, the caches) connections come from the pool with its own timeouts, because
     * nothing is answered 503 before the application serves, and one slow first probe on a busy machine must not
     * abort a start the database could serve.
     */
    void serving() {
        serving = true;
    }

    @Override
    public Connection getConnection() throws SQLException {
        refuseWhileDown();
        try {
            return FlushingConnection.wrap(obtainTargetDataSource().getConnection());
        }
        catch (SQLTransientConnectionException ex) {
            probe.probeSoon();
            throw ex;
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        refuseWhileDown();
        return FlushingConnection.wrap(obtainTargetDataSource().getConnection(username, password));
    }

    private void refuseWhileDown() throws SQLTransientConnectionException {
        DatabaseProbe.State state = probe.state();
        if (serving && !state.up()) {
            throw new SQLTransientConnectionException("The database is unreachable (" + state.failure() + ")",
                    "08001");
        }
    }
}
