package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.core.net.Endpoint;
import io.peerwarden.core.render.ClientConfig;
import io.peerwarden.core.render.QrCodes;
import io.peerwarden.core.render.WgQuickConfigRenderer;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.peerwarden.core.plan.SecretData.b64;

/**
 * What a peer's config Secret holds: the client's wg-quick config (server endpoint, routes, DNS,
 * MTU, keepalive), its QR code, the keys, and the annotations that record the peer's addresses.
 */
final class PeerSecretLayout {

    static final String DEFAULT_ROUTE_V4 = "0.0.0.0/0";
    static final String DEFAULT_ROUTE_V6 = "::/0";

    private PeerSecretLayout() {
    }

    /**
     * The config Secret of a valid peer.
     *
     * @param managed the Secret as the operator wrote it for this peer before (its QR code is reused while the config is unchanged)
     */
    static DesiredSecret configSecret(PlanContext context, PeerWork w, KeyResolution.PeerKeys keys, String name,
                                      Optional<SecretLookup.SecretState> managed) {
        List<String> addresses = w.addressStrings();
        String config = WgQuickConfigRenderer.render(clientConfig(context, w.spec, keys, addresses));
        VpnPeer peer = w.peer;
        Map<String, String> labels = Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE,
                Labels.INSTANCE, Labels.labelValue(peer.getSpec().getInstanceRef().getName()),
                Labels.PEER, Labels.labelValue(peer.getMetadata().getName()),
                Labels.COMPONENT, Labels.COMPONENT_PEER_CONFIG);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(Labels.ALLOWED_IPS_ANNOTATION, String.join(",", addresses));
        annotations.put(Labels.INSTANCE_NAME_ANNOTATION, peer.getSpec().getInstanceRef().getName());
        String instanceNamespace = context.instance().getMetadata().getNamespace();
        if (!instanceNamespace.equals(peer.getMetadata().getNamespace())) {
            annotations.put(Labels.INSTANCE_NAMESPACE_ANNOTATION, instanceNamespace);
        }
        if (peer.getMetadata().getUid() != null) {
            annotations.put(Labels.PEER_UID_ANNOTATION, peer.getMetadata().getUid());
        }
        if (keys.regenerated() != null) {
            annotations.put(Labels.KEYS_REGENERATED_ANNOTATION, keys.regenerated());
        }
        Map<String, String> data = new LinkedHashMap<>();
        String configB64 = b64(config);
        data.put(Labels.CONFIG, configB64);
        // the QR code is the costly part of a rendering: reuse it while the config text is unchanged
        String existingQr = managed.filter(s -> configB64.equals(s.data().get(Labels.CONFIG)))
                .map(s -> s.data().get(Labels.CONFIG_QR)).orElse(null);
        data.put(Labels.CONFIG_QR, existingQr != null ? existingQr : Base64.getEncoder().encodeToString(QrCodes.png(config)));
        data.put(Labels.PUBLIC_KEY, b64(keys.publicKey()));
        if (keys.operatorKey() && keys.privateKey() != null) {
            data.put(Labels.PRIVATE_KEY, b64(keys.privateKey()));
        }
        if (keys.presharedKey() != null) {
            data.put(Labels.PRESHARED_KEY, b64(keys.presharedKey()));
        }
        return new DesiredSecret(peer.getMetadata().getNamespace(), name, labels, annotations, data, peer.getMetadata().getName(), false);
    }

    private static ClientConfig clientConfig(PlanContext context, VpnPeerSpec spec, KeyResolution.PeerKeys keys,
                                             List<String> addresses) {
        VpnInstanceSpec instanceSpec = context.spec();
        List<String> dns = spec.getDns() != null ? spec.getDns() : instanceSpec.getDns();
        Integer mtu = spec.getMtu() != null ? spec.getMtu() : instanceSpec.getMtu();
        Integer keepalive = spec.getPersistentKeepalive() != null ? spec.getPersistentKeepalive() : instanceSpec.getPersistentKeepalive();
        List<String> allowed;
        if (spec.getEndpointAllowedIPs() != null && !spec.getEndpointAllowedIPs().isEmpty()) {
            allowed = spec.getEndpointAllowedIPs();
        } else if (Boolean.TRUE.equals(spec.getRouteAll()) && !spec.isSite()) {
            allowed = List.of(DEFAULT_ROUTE_V4, DEFAULT_ROUTE_V6);
        } else {
            allowed = context.pools().stream().map(p -> p.network().toString()).toList();
        }
        return new ClientConfig(keys.privateKey(), addresses, dns == null ? List.of() : dns, mtu, context.serverPublicKey(),
                keys.presharedKey(), context.endpoint(), allowed, keepalive);
    }

    /** host[:port] as clients dial it; the port defaults to the listen port. */
    static String serverEndpoint(VpnInstanceSpec spec, int port) {
        return Endpoint.parse(spec.getEndpoint()).map(e -> e.withDefaultPort(port).toString()).orElse(null);
    }
}
