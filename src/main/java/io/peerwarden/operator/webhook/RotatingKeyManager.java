package io.peerwarden.operator.webhook;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Presents the newest serving certificate to each new TLS handshake. The alias names the material, so a handshake that
 * chose one certificate gets that one's key even when a rotation lands between the two calls; the material before
 * the newest is kept for such handshakes.
 */
final class RotatingKeyManager extends X509ExtendedKeyManager {

    private final Map<String, ServingMaterial> byAlias = new LinkedHashMap<>();
    private volatile String current;
    private int generation;

    synchronized void use(ServingMaterial material) {
        String alias = "serving-" + (++generation);
        byAlias.put(alias, material);
        while (byAlias.size() > 2) {
            byAlias.remove(byAlias.keySet().iterator().next());
        }
        current = alias;
    }

    synchronized ServingMaterial current() {
        return current == null ? null : byAlias.get(current);
    }

    private String aliasFor(String keyType) {
        return keyType != null && keyType.startsWith("EC") ? current : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = aliasFor(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public synchronized X509Certificate[] getCertificateChain(String alias) {
        ServingMaterial material = byAlias.get(alias);
        return material == null ? null : new X509Certificate[] {material.certificate()};
    }

    @Override
    public synchronized PrivateKey getPrivateKey(String alias) {
        ServingMaterial material = byAlias.get(alias);
        return material == null ? null : material.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
