package dev.roster.sso.idp;

import java.io.InputStream;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.stereotype.Component;

import dev.roster.sso.SsoProperties;

/**
 * TLS for Roster's calls to identity providers: the JVM's trusted CAs, plus those of an operator's trust store
 * ({@code roster.sso.outbound.trust-store}) when one is set. Certificates are always verified; there is no switch to
 * turn verification off.
 */
@Component
class OutboundTls {

    private final X509TrustManager trustManager;
    private final SSLContext sslContext;

    OutboundTls(SsoProperties properties) {
        try {
            List<X509TrustManager> managers = new ArrayList<>();
            managers.add(managerFor(null));
            SsoProperties.Outbound outbound = properties.outbound();
            if (outbound.trustStore() != null && !outbound.trustStore().isBlank()) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                String location = outbound.trustStore().contains(":") ? outbound.trustStore()
                        : "file:" + outbound.trustStore();
                try (InputStream in = new DefaultResourceLoader().getResource(location).getInputStream()) {
                    store.load(in, outbound.trustStorePassword().toCharArray());
                }
                managers.add(managerFor(store));
            }
            this.trustManager = new AnyOf(managers);
            this.sslContext = SSLContext.getInstance("TLS");
            this.sslContext.init(null, new TrustManager[] {trustManager}, null);
        }
        catch (Exception ex) {
            throw new IllegalStateException("cannot set up TLS for outbound calls (roster.sso.outbound.trust-store)", ex);
        }
    }

    SSLContext sslContext() {
        return sslContext;
    }

    X509TrustManager trustManager() {
        return trustManager;
    }

    private static X509TrustManager managerFor(KeyStore store) throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X.509 trust manager");
    }

    /** Trusts a chain that any of its managers trusts. */
    private record AnyOf(List<X509TrustManager> managers) implements X509TrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("Roster does not accept client certificates here");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            CertificateException last = null;
            for (X509TrustManager manager : managers) {
                try {
                    manager.checkServerTrusted(chain, authType);
                    return;
                }
                catch (CertificateException ex) {
                    last = ex;
                }
            }
            throw last == null ? new CertificateException("untrusted") : last;
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return managers.stream().flatMap(m -> java.util.Arrays.stream(m.getAcceptedIssuers()))
                    .toArray(X509Certificate[]::new);
        }
    }
}
