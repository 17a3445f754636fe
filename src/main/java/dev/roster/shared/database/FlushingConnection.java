package dev.roster.shared.database;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;

/**
 * A connection of the application's DataSource that sends the current transaction's {@link DeferredWrites} due
 * before its next statement, whenever a statement is prepared or created on it. So a deferred write is in the
 * database before anything the transaction asks next, whoever asks it (a repository, a store, a library
 * given the DataSource), and deferring one changes when it travels, never what a later statement sees.
 */
final class FlushingConnection implements InvocationHandler {

    private final Connection target;

    private FlushingConnection(Connection target) {
        this.target = target;
    }

    static Connection wrap(Connection target) {
        return (Connection) Proxy.newProxyInstance(FlushingConnection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new FlushingConnection(target));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "prepareStatement", "prepareCall", "createStatement" ->
                    DeferredWrites.beforeStatement((Connection) proxy, target);
            case "equals" -> {
                return proxy == args[0];
            }
            case "hashCode" -> {
                return System.identityHashCode(proxy);
            }
            case "toString" -> {
                return "Flushing " + target;
            }
            default -> {
            }
        }
        try {
            return method.invoke(target, args);
        }
        catch (InvocationTargetException ex) {
            throw ex.getTargetException();
        }
    }
}
