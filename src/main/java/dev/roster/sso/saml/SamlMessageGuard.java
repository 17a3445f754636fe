package dev.roster.sso.saml;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.roster.shared.Ids;
import dev.roster.shared.web.RequestMetrics;

/**
 * Looks at requests to the unauthenticated SAML endpoints before any SAML code does, so that nothing anyone sends
 * there can make Roster answer 500.
 * <ul>
 * <li>Every endpoint that names a connection (ACS, single logout, SP metadata, the start of a sign-in): a connection
 * that does not exist (or is not a UUID, or is disabled) is 404, before Spring Security would try to find one by the
 * message's issuer and trip over whatever the message is.</li>
 * <li>The two that receive messages (the ACS and single logout), too large: the body over twice the limit (base64
 * makes a message a third larger), and the decoded message over the limit, whatever the binding: base64 of a POST, or
 * a message in the query string (the HTTP-Redirect binding, deflated) inflated here with a hard cap, so a small
 * "deflate bomb" is refused after reading at most the limit (CVE-2026-40988 was this attack on Spring Security's
 * inflater; 6.5.11 fixes it, and this guard keeps the limit Roster's own). 413.</li>
 * <li>The same two, not a SAML message of the kind the endpoint takes (not base64 or DEFLATE, not well-formed XML,
 * another root element), or nested more than {@link #MAX_DEPTH} elements deep (OpenSAML's unmarshaller recurses per
 * level, and 25,000 levels overflow its stack): 400.</li>
 * </ul>
 * Refusals are answered with Roster's error page ({@link SamlRefusalPage}), or JSON for a client that asks for it. A
 * message with a DOCTYPE is left to OpenSAML's parser pool, which refuses every DOCTYPE before reading further, so the
 * refusal is audited like any other invalid response.
 */
class SamlMessageGuard extends OncePerRequestFilter {

    /** Far deeper than any SAML message (an encrypted, signed assertion nests about ten levels). */
    static final int MAX_DEPTH = 50;
    static final String PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol";
    private static final Logger log = LoggerFactory.getLogger(SamlMessageGuard.class);
    private static final XMLInputFactory XML = xmlInputFactory();

    private final long maxBytes;
    private final Predicate<String> connectionExists;
    private final Predicate<String> organizationDeleted;

    SamlMessageGuard(long maxBytes, Predicate<String> connectionExists) {
        this(maxBytes, connectionExists, id -> false);
    }

    SamlMessageGuard(long maxBytes, Predicate<String> connectionExists, Predicate<String> organizationDeleted) {
        this.maxBytes = maxBytes;
        this.connectionExists = connectionExists;
        this.organizationDeleted = organizationDeleted;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return endpoint(path(request)) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = path(request);
        String endpoint = endpoint(path);
        String connection = path.substring(endpoint.length());
        if (Ids.parse(connection).isEmpty() || !connectionExists.test(connection)) {
            if (Ids.parse(connection).isPresent() && organizationDeleted.test(connection)) {
                refuse(request, response, HttpServletResponse.SC_NOT_FOUND, "organization deleted",
                        "The organization of this single sign-on connection has been deleted from Roster, so nobody "
                                + "signs in through it. If that is a mistake, its administrators can ask the operator "
                                + "to restore it.");
                return;
            }
            refuse(request, response, HttpServletResponse.SC_NOT_FOUND, "no such connection",
                    "There is no single sign-on connection at this address.");
            return;
        }
        RequestMetrics.connection(request, connection);
        if (!endpoint.equals(SpUrls.ACS_PATH) && !endpoint.equals(SpUrls.SLO_PATH)) {
            chain.doFilter(request, response);
            return;
        }
        if (request.getContentLengthLong() > maxBytes * 2) {
            refuse(request, response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "body of "
                    + request.getContentLengthLong() + " bytes", tooLarge());
            return;
        }
        for (String parameter : new String[] {"SAMLResponse", "SAMLRequest"}) {
            String value = request.getParameter(parameter);
            if (value == null || value.isEmpty()) {
                continue;
            }
            Decoded decoded = decode(value, "GET".equals(request.getMethod()));
            if (decoded.refusal != null) {
                refuse(request, response, decoded.status, parameter + " " + decoded.refusal,
                        decoded.status == HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE ? tooLarge()
                                : "This is not a SAML message Roster can read.");
                return;
            }
            Optional<String> malformed = malformed(decoded.xml, expectedRoot(endpoint, parameter));
            if (malformed.isPresent()) {
                refuse(request, response, HttpServletResponse.SC_BAD_REQUEST, parameter + " " + malformed.get(),
                        "This is not a SAML message Roster can read.");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** The SAML endpoint a path is under, or null. Each takes the id of a connection after its prefix. */
    private static String endpoint(String path) {
        for (String endpoint : new String[] {SpUrls.ACS_PATH, SpUrls.SLO_PATH, SpUrls.METADATA_PATH,
                SpUrls.AUTHENTICATE_PATH}) {
            if (path.startsWith(endpoint)) {
                return endpoint;
            }
        }
        return null;
    }

    /**
     * The message an endpoint takes in a parameter: the ACS takes responses (and no request); single logout takes the
     * IdP's LogoutRequest and the answer to Roster's own.
     */
    private static String expectedRoot(String endpoint, String parameter) {
        if (endpoint.equals(SpUrls.ACS_PATH)) {
            return parameter.equals("SAMLResponse") ? "Response" : null;
        }
        return parameter.equals("SAMLRequest") ? "LogoutRequest" : "LogoutResponse";
    }

    private String tooLarge() {
        return "The SAML message is larger than Roster accepts (" + maxBytes / 1024 + " KB).";
    }

    /** The message's XML, or why it is refused (with the status to answer). */
    private record Decoded(byte[] xml, int status, String refusal) {

        static Decoded refused(int status, String refusal) {
            return new Decoded(null, status, refusal);
        }
    }

    private Decoded decode(String encoded, boolean redirectBinding) {
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(encoded);
        }
        catch (IllegalArgumentException ex) {
            return Decoded.refused(HttpServletResponse.SC_BAD_REQUEST, "is not base64");
        }
        if (bytes.length > maxBytes) {
            return Decoded.refused(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "decodes to " + bytes.length
                    + " bytes, over the limit of " + maxBytes);
        }
        return redirectBinding ? inflate(bytes) : new Decoded(bytes, 0, null);
    }

    private Decoded inflate(byte[] deflated) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(deflated);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return Decoded.refused(HttpServletResponse.SC_BAD_REQUEST, "is not complete DEFLATE data");
                }
                if (out.size() + n > maxBytes) {
                    return Decoded.refused(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "inflates beyond "
                            + maxBytes + " bytes");
                }
                out.write(buffer, 0, n);
            }
            return new Decoded(out.toByteArray(), 0, null);
        }
        catch (DataFormatException ex) {
            return Decoded.refused(HttpServletResponse.SC_BAD_REQUEST, "is not DEFLATE data");
        }
        finally {
            inflater.end();
        }
    }

    /**
     * Why the XML is not a message of the expected kind, reading it as a stream (no tree is built, so depth costs
     * nothing here): not well-formed, nested too deep, or another root element.
     */
    static Optional<String> malformed(byte[] xml, String expectedRoot) {
        XMLStreamReader reader = null;
        try {
            reader = XML.createXMLStreamReader(new ByteArrayInputStream(xml));
            int depth = 0;
            boolean root = true;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.DTD) {
                    // OpenSAML's parser refuses any DOCTYPE before it reads an element; that refusal is audited.
                    return Optional.empty();
                }
                if (event == XMLStreamConstants.START_ELEMENT) {
                    if (root && expectedRoot == null) {
                        return Optional.of("is not taken at this endpoint");
                    }
                    if (root && !(PROTOCOL.equals(reader.getNamespaceURI())
                            && expectedRoot.equals(reader.getLocalName()))) {
                        return Optional.of("is a " + reader.getName() + ", not a SAML " + expectedRoot);
                    }
                    root = false;
                    if (++depth > MAX_DEPTH) {
                        return Optional.of("is nested more than " + MAX_DEPTH + " elements deep");
                    }
                }
                else if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
            return root ? Optional.of("has no element") : Optional.empty();
        }
        catch (XMLStreamException | RuntimeException ex) {
            return Optional.of("is not well-formed XML (" + ex.getMessage().lines().findFirst().orElse("") + ")");
        }
        finally {
            if (reader != null) {
                try {
                    reader.close();
                }
                catch (XMLStreamException ignored) {
                    // nothing to release beyond the byte array
                }
            }
        }
    }

    private static XMLInputFactory xmlInputFactory() {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        return factory;
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, int status, String why,
                               String message) throws IOException {
        log.warn("SAML message at {} refused ({}): {}", request.getRequestURI(), status, why);
        request.setAttribute(SamlRefusalPage.MESSAGE, message);
        response.sendError(status);
    }
}
