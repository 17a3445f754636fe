package dev.roster.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * A TCP proxy between a Roster under test and its PostgreSQL (or another server, such as a mocked IdP API, where a
 * test watches which connections Roster keeps open: {@link #openConnections()}), which a test can cut and restore:
 * {@link #cut()} resets every connection through it and refuses new ones, as a database that crashed or was stopped
 * does; {@link #restore()} lets connections through again. {@link #loseTheCommitAnswerAfter(String)} lets one
 * transaction commit on the server and drops the connection before the answer reaches Roster: a commit whose outcome
 * Roster cannot know.
 */
public final class TcpProxy implements AutoCloseable {

    private static final byte[] COMMIT = "COMMIT".getBytes(StandardCharsets.ISO_8859_1);

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final ExecutorService threads;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicReference<String> commitTrigger = new AtomicReference<>();
    private final AtomicInteger commitAnswersLost = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean cut;
    private volatile boolean closed;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        CustomizableThreadFactory factory = new CustomizableThreadFactory("tcp-proxy-");
        factory.setDaemon(true);
        this.threads = Executors.newCachedThreadPool(factory);
        threads.execute(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Resets every open connection and refuses new ones until {@link #restore()}. */
    public void cut() {
        cut = true;
        links.forEach(Link::reset);
    }

    public void restore() {
        cut = false;
    }

    /** Connections through the proxy that neither side has closed yet. */
    public int openConnections() {
        return links.size();
    }

    /** Connections let through since the proxy started, open or closed. */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** Connections refused while cut. */
    public int refused() {
        return refused.get();
    }

    /**
     * Arms a trap for one transaction: on the first connection that sends {@code sqlText}, the next COMMIT is let
     * through to the database, its answer swallowed, and the connection reset. The statement's text is on the wire
     * only while the driver does not use server-side prepared statements ({@code prepareThreshold=0}).
     */
    public void loseTheCommitAnswerAfter(String sqlText) {
        commitTrigger.set(sqlText);
    }

    public int commitAnswersLost() {
        return commitAnswersLost.get();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            }
            catch (IOException ex) {
                return;
            }
            if (cut) {
                refused.incrementAndGet();
                reset(client);
                continue;
            }
            try {
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(targetHost, targetPort), 2_000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                Link link = new Link(client, upstream);
                links.add(link);
                if (cut) {
                    // cut() ran while this connection was being set up, after its check above and before the link
                    // was in the set it resets: without this, a connection opened at that moment survives the cut
                    // (a probe connecting as the test cuts then never sees the database go away).
                    link.reset();
                    refused.incrementAndGet();
                    continue;
                }
                accepted.incrementAndGet();
                threads.execute(link::clientToServer);
                threads.execute(link::serverToClient);
            }
            catch (IOException ex) {
                reset(client);
            }
        }
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        }
        catch (IOException ignored) {
            // Already gone.
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        links.forEach(Link::reset);
        threads.shutdownNow();
    }

    private final class Link {

        private final Socket client;
        private final Socket upstream;
        private final AtomicBoolean open = new AtomicBoolean(true);
        private volatile boolean armed;
        private volatile boolean swallowing;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void clientToServer() {
            byte[] buffer = new byte[16 * 1024];
            String tail = "";
            try (InputStream in = client.getInputStream(); OutputStream out = upstream.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    String trigger = commitTrigger.get();
                    String window = tail + new String(buffer, 0, read, StandardCharsets.ISO_8859_1);
                    if (!armed && trigger != null && window.contains(trigger)
                            && commitTrigger.compareAndSet(trigger, null)) {
                        armed = true;
                    }
                    else if (armed && contains(buffer, read, COMMIT)) {
                        swallowing = true;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                    tail = window.length() > 256 ? window.substring(window.length() - 256) : window;
                }
            }
            catch (IOException ex) {
                // The other side went away or the link was reset.
            }
            finally {
                reset();
            }
        }

        void serverToClient() {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = upstream.getInputStream(); OutputStream out = client.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (swallowing) {
                        // The database has answered the COMMIT: it is done. Roster never hears.
                        commitAnswersLost.incrementAndGet();
                        reset();
                        return;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
            catch (IOException ex) {
                // The other side went away or the link was reset.
            }
            finally {
                reset();
            }
        }

        void reset() {
            if (open.compareAndSet(true, false)) {
                TcpProxy.reset(client);
                TcpProxy.reset(upstream);
                links.remove(this);
            }
        }

        private static boolean contains(byte[] buffer, int length, byte[] needle) {
            outer:
            for (int i = 0; i <= length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (buffer[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }
    }
}
