package dev.roster.sso;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.shibboleth.utilities.java.support.resolver.CriteriaSet;
import org.opensaml.core.criterion.EntityIdCriterion;
import org.opensaml.security.credential.UsageType;
import org.opensaml.security.credential.impl.StaticCredentialResolver;
import org.opensaml.security.x509.BasicX509Credential;
import org.opensaml.xmlsec.config.impl.DefaultSecurityConfigurationBootstrap;
import org.opensaml.xmlsec.signature.support.impl.ExplicitKeySignatureTrustEngine;

/**
 * An independent check of HTTP-Redirect binding signatures, as an IdP makes it: the signed octets are rebuilt from the
 * query string as received, in the order the bindings specification fixes (SAMLRequest or SAMLResponse, RelayState,
 * SigAlg), whatever order the query has, and verified with OpenSAML's explicit-key trust engine (what OpenSAML's own
 * redirect-binding security handler uses) against the sender's certificate. Nothing of Roster's signer is used.
 */
final class RedirectSignatures {

    private RedirectSignatures() {
    }

    /** The parameter names of a URL's query, in the order they are sent. */
    static List<String> parameterOrder(String url) {
        List<String> names = new ArrayList<>();
        raw(url).keySet().forEach(names::add);
        return names;
    }

    /** Whether the URL's query carries a valid redirect-binding signature by the holder of {@code certificate}. */
    static boolean valid(String url, X509Certificate certificate, String signerEntityId) {
        Map<String, String> raw = raw(url);
        String message = raw.containsKey("SAMLRequest") ? "SAMLRequest" : "SAMLResponse";
        if (!raw.containsKey(message) || !raw.containsKey("SigAlg") || !raw.containsKey("Signature")) {
            return false;
        }
        String content = message + "=" + raw.get(message)
                + (raw.containsKey("RelayState") ? "&RelayState=" + raw.get("RelayState") : "")
                + "&SigAlg=" + raw.get("SigAlg");
        byte[] signature = Base64.getMimeDecoder().decode(URLDecoder.decode(raw.get("Signature"), StandardCharsets.UTF_8));
        String algorithm = URLDecoder.decode(raw.get("SigAlg"), StandardCharsets.UTF_8);
        BasicX509Credential credential = new BasicX509Credential(certificate);
        credential.setEntityId(signerEntityId);
        credential.setUsageType(UsageType.SIGNING);
        ExplicitKeySignatureTrustEngine engine = new ExplicitKeySignatureTrustEngine(
                new StaticCredentialResolver(credential),
                DefaultSecurityConfigurationBootstrap.buildBasicInlineKeyInfoCredentialResolver());
        try {
            return engine.validate(signature, content.getBytes(StandardCharsets.UTF_8), algorithm,
                    new CriteriaSet(new EntityIdCriterion(signerEntityId)), null);
        }
        catch (org.opensaml.security.SecurityException ex) {
            return false;
        }
    }

    /** The query's parameters, values still URL-encoded as received. */
    private static Map<String, String> raw(String url) {
        Map<String, String> params = new LinkedHashMap<>();
        String query = URI.create(url).getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                params.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return params;
    }
}
