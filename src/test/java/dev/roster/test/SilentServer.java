package dev.roster.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server that takes every connection and never says a word: an IdP API (or any HTTPS server) that holds whoever
 * calls it. A TLS client waits in its handshake until its own timeout. {@link #close()} resets every connection it
 * holds and refuses new ones, so a test can end the wait when it chooses instead of sitting out the client's timeout.
 */
public final class SilentServer implements AutoCloseable {

    private final ServerSocket server;
    private final Set<Socket> held = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();

    public SilentServer() throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::accept, "silent-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections taken since the server started (held still, or given up by their client). */
    public int acceptedConnections() {
        return accepted.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                held.add(server.accept());
                accepted.incrementAndGet();
            }
            catch (IOException ex) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : held) {
            try {
                socket.setSoLinger(true, 0);
                socket.close();
            }
            catch (IOException ignored) {
                // The client gave up on it already.
            }
        }
        held.clear();
    }
}
