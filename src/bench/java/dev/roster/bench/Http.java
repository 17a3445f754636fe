package dev.roster.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The harness's HTTP client: HTTP/1.1 on loopback over one kept-alive connection per thread, no redirects followed
 * (a SAML sign-in answers with one, and where it points says whether it worked), no cookies kept.
 * <p>
 * A blocking socket per thread rather than java.net.http: the harness runs on the same two cores as Roster and
 * PostgreSQL, and java.net.http spent about 0.5 ms of CPU per request (its selector thread, futures and body
 * subscribers), CPU the measured server did not get. This client writes the request and reads the answer on the
 * calling thread. A connection the server has closed (Tomcat closes one after 100 requests, or when idle) is replaced
 * and the request sent again, but only if not a byte of an answer had arrived.
 */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SCIM_JSON = "application/scim+json";

    private final String baseUrl;
    private final String host;
    private final int port;
    private final ThreadLocal<Connection> connections = new ThreadLocal<>();

    Http(String baseUrl) {
        this.baseUrl = baseUrl;
        URI uri = URI.create(baseUrl);
        this.host = uri.getHost();
        this.port = uri.getPort();
    }

    String baseUrl() {
        return baseUrl;
    }

    record Response(int status, String body, String location) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            }
            catch (JsonProcessingException ex) {
                throw new BenchFailure("not JSON: " + abbreviate(body), ex);
            }
        }

        Response expect(int... statuses) {
            if (Arrays.stream(statuses).noneMatch(s -> s == status)) {
                throw new BenchFailure("expected HTTP " + Arrays.toString(statuses) + ", got " + status + ": "
                        + abbreviate(body));
            }
            return this;
        }
    }

    Response get(String path, String bearer) {
        return send("GET", path, bearer, null, null);
    }

    Response post(String path, String bearer, String contentType, String body) {
        return send("POST", path, bearer, contentType, body);
    }

    Response send(String method, String path, String bearer, String contentType, String body) {
        byte[] payload = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path)
                .append(" HTTP/1.1\r\nHost: ").append(host).append(':').append(port).append("\r\n");
        if (bearer != null) {
            head.append("Authorization: Bearer ").append(bearer).append("\r\n");
        }
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append("Accept: ").append(contentType != null && contentType.startsWith(SCIM_JSON) ? SCIM_JSON
                : "application/json, application/scim+json, */*").append("\r\n");
        if (payload != null || !method.equals("GET")) {
            head.append("Content-Length: ").append(payload == null ? 0 : payload.length).append("\r\n");
        }
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        for (int attempt = 1; ; attempt++) {
            Connection connection = connections.get();
            boolean reused = connection != null;
            try {
                if (connection == null) {
                    connection = new Connection(new Socket(host, port));
                    connections.set(connection);
                }
                connection.write(headBytes, payload);
                Response response = connection.read(method);
                if (!connection.open) {
                    connection.close();
                    connections.remove();
                }
                return response;
            }
            catch (IOException ex) {
                boolean answered = connection != null && connection.answerStarted;
                if (connection != null) {
                    connection.close();
                }
                connections.remove();
                if (!reused || answered || attempt > 1) {
                    throw new BenchFailure(method + " " + path + " failed: " + ex, ex);
                }
            }
        }
    }

    /** One kept-alive HTTP/1.1 connection. */
    private static final class Connection {

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private boolean open = true;
        private boolean answerStarted;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(300_000);
            this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        }

        void write(byte[] head, byte[] payload) throws IOException {
            answerStarted = false;
            out.write(head);
            if (payload != null) {
                out.write(payload);
            }
            out.flush();
        }

        Response read(String method) throws IOException {
            String statusLine = line();
            answerStarted = true;
            if (!statusLine.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP answer: " + abbreviate(statusLine));
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            String location = null;
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "location" -> location = value;
                    case "connection" -> open = !value.equalsIgnoreCase("close");
                    default -> {
                    }
                }
            }
            byte[] body;
            if (method.equals("HEAD") || status == 204 || status == 304 || status / 100 == 1) {
                body = new byte[0];
            }
            else if (chunked) {
                body = chunkedBody();
            }
            else if (length >= 0) {
                body = in.readNBytes((int) length);
                if (body.length < length) {
                    throw new EOFException("the answer ended after " + body.length + " of " + length + " bytes");
                }
            }
            else {
                body = in.readAllBytes();
                open = false;
            }
            return new Response(status, new String(body, StandardCharsets.UTF_8), location);
        }

        private byte[] chunkedBody() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                int extension = size.indexOf(';');
                int chunk = Integer.parseInt((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
                if (chunk == 0) {
                    for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                        // trailers are not used
                    }
                    return body.toByteArray();
                }
                byte[] bytes = in.readNBytes(chunk);
                if (bytes.length < chunk) {
                    throw new EOFException("a chunk ended early");
                }
                body.write(bytes);
                line();
            }
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                line.append((char) b);
            }
            throw new EOFException("the connection was closed");
        }

        void close() {
            open = false;
            try {
                socket.close();
            }
            catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        }
        catch (JsonProcessingException ex) {
            throw new IllegalArgumentException(ex);
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String abbreviate(String text) {
        return text == null ? "" : text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }
}
