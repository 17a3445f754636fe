package dev.roster.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * An SMTP server that takes every message but acknowledges the end of its data only after a delay, as a relay that
 * scans content before answering does. What it received counts as received (as with a real relay) whether or not its
 * answer reached the client: a client that gave up waiting and sent again delivers the message twice.
 */
public final class SlowSmtpServer implements AutoCloseable {

    private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*(\\S+)");

    /** One message as received: its recipient and Message-ID header. */
    public record Received(String recipient, String messageId) {
    }

    private final ServerSocket server;
    private final Duration acknowledgement;
    private final ExecutorService threads;
    private final List<Received> received = new ArrayList<>();
    private volatile boolean closed;

    public SlowSmtpServer(Duration acknowledgement) throws IOException {
        this.acknowledgement = acknowledgement;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        CustomizableThreadFactory factory = new CustomizableThreadFactory("slow-smtp-");
        factory.setDaemon(true);
        this.threads = Executors.newCachedThreadPool(factory);
        threads.execute(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                threads.execute(() -> converse(client));
            }
            catch (IOException ex) {
                return;
            }
        }
    }

    private void converse(Socket client) {
        try (client; BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                StandardCharsets.ISO_8859_1)); OutputStream out = client.getOutputStream()) {
            reply(out, "220 slow.test ESMTP");
            String recipient = null;
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (command) {
                    case "EHLO", "HELO" -> reply(out, "250 slow.test");
                    case "MAIL" -> {
                        recipient = null;
                        reply(out, "250 OK");
                    }
                    case "RCPT" -> {
                        recipient = line.replaceAll("(?i)^RCPT TO:\\s*<?([^>\\s]+)>?.*$", "$1");
                        reply(out, "250 OK");
                    }
                    case "DATA" -> {
                        reply(out, "354 go ahead");
                        StringBuilder data = new StringBuilder();
                        String dataLine;
                        while ((dataLine = in.readLine()) != null && !dataLine.equals(".")) {
                            data.append(dataLine).append('\n');
                        }
                        Matcher id = MESSAGE_ID.matcher(data);
                        synchronized (received) {
                            received.add(new Received(recipient, id.find() ? id.group(1) : null));
                        }
                        // Taken; the answer comes late.
                        Thread.sleep(acknowledgement.toMillis());
                        reply(out, "250 queued");
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "250 OK");
                }
            }
        }
        catch (IOException ex) {
            // The client went away (gave up waiting, say).
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        threads.shutdownNow();
    }
}
