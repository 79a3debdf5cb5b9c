package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.core.net.Endpoint;
import io.peerwarden.core.render.ClientConfig;
import io.peerwarden.core.render.QrCodes;
import io.peerwarden.core.render.WgQuickConfigRenderer;

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
     * The QR code is not drawn here: the plan only checks that the config fits one (ConfigTooLarge otherwise), and
     * the Secret carries the config to draw it from when it is written ({@link DesiredSecret#drawn()}).
     *
     * @param managed the Secret as the operator wrote it for this peer before (not read here any more: the writer
     *                decides whether the QR code needs drawing)
     * @throws QrCodes.TooLargeException when the config does not fit in a QR code
     */
    static DesiredSecret configSecret(PlanContext context, PeerWork w, KeyResolution.PeerKeys keys, String name,
                                      Optional<SecretLookup.SecretState> managed) {
        List<String> addresses = w.addressStrings();
        String config = WgQuickConfigRenderer.render(clientConfig(context, w.spec, keys, addresses));
        // the same decision QrCodes.png would take, without drawing: a config no QR code holds is ConfigTooLarge
        QrCodes.requireFits(config);
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
        data.put(Labels.CONFIG, b64(config));
        data.put(Labels.PUBLIC_KEY, b64(keys.publicKey()));
        if (keys.operatorKey() && keys.privateKey() != null) {
            data.put(Labels.PRIVATE_KEY, b64(keys.privateKey()));
        }
        if (keys.presharedKey() != null) {
            data.put(Labels.PRESHARED_KEY, b64(keys.presharedKey()));
        }
        // the QR code is the costly part of a rendering (milliseconds): drawn only when the Secret is written
        return new DesiredSecret(peer.getMetadata().getNamespace(), name, labels, annotations, data, peer.getMetadata().getName(), false,
                DesiredSecret.DrawnEntry.qrCodeOf(Labels.CONFIG_QR, config));
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
