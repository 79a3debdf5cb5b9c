package io.peerwarden.agent;

import io.fabric8.kubernetes.api.model.Secret;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.SecretKeyRef;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.naming.InterfaceNames;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.status.PeerConditions;
import io.peerwarden.core.wg.WgPeerConfig;
import io.fabric8.kubernetes.api.model.Condition;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Turns cached resources into the desired state of an instance's interface: a function of the VpnInstance,
 * its VpnPeers and a Secret lookup, no API calls.
 */
public final class DesiredState {

    public static final int DEFAULT_LISTEN_PORT = 51820;

    private DesiredState() {
    }

    /** Whether the instance runs on this node: status.nodeName, or spec.nodeName while the operator has not set it. */
    public static boolean isOnNode(VpnInstance instance, String nodeName) {
        String scheduled = instance.getStatus() != null && instance.getStatus().getNodeName() != null
                ? instance.getStatus().getNodeName()
                : instance.getSpec() == null ? null : instance.getSpec().getNodeName();
        return nodeName.equals(scheduled);
    }

    public static String interfaceName(VpnInstance instance) {
        if (instance.getStatus() != null && instance.getStatus().getInterfaceName() != null) {
            return instance.getStatus().getInterfaceName();
        }
        return InterfaceNames.of(instance.getMetadata().getName(), instance.getSpec());
    }

    /** The link alias that marks the interface as the agent's, naming its instance. */
    public static String owner(VpnInstance instance) {
        return InterfaceDriver.ALIAS_PREFIX + instance.getMetadata().getNamespace() + "/" + instance.getMetadata().getName();
    }

    /**
     * @param secrets    (namespace, name) → the cached Secret, or null when absent (peer config Secrets)
     * @param keySecrets (namespace, name) → the instance's private key Secret, or null when absent
     * @param complete   whether the caches are synced (the peer set is complete)
     */
    public static InstancePlan plan(VpnInstance instance, Collection<VpnPeer> peers,
                                    BiFunction<String, String, Secret> secrets,
                                    BiFunction<String, String, Secret> keySecrets, boolean complete) {
        String namespace = instance.getMetadata().getNamespace();
        String name = interfaceName(instance);
        Map<String, PeerPlan> plans = new LinkedHashMap<>();
        List<WgPeerConfig> wanted = new ArrayList<>();
        Set<String> retain = new HashSet<>();
        Map<String, String> routes = new LinkedHashMap<>();
        for (VpnPeer peer : peers) {
            PeerPlan plan = planPeer(peer, secrets);
            plans.put(peer.getMetadata().getName(), plan);
            List<String> subnets = peer.getSpec() != null && peer.getSpec().isSite() && peer.getSpec().getSubnets() != null
                    ? peer.getSpec().getSubnets() : List.of();
            if (plan.kind() == PeerPlan.Kind.DESIRED) {
                wanted.add(plan.config());
                subnets.forEach(s -> routes.put(s, plan.config().publicKey()));
            } else if (plan.kind() == PeerPlan.Kind.PENDING) {
                String key = peer.getStatus() == null ? null : peer.getStatus().getPublicKey();
                if (key != null) {
                    retain.add(key);
                    subnets.forEach(s -> routes.putIfAbsent(s, key));
                }
            }
        }

        VpnInstanceSpec spec = instance.getSpec();
        SecretKeyRef ref = spec.getPrivateKeySecretRef();
        String secretName = ref != null ? ref.getName() : Labels.instanceKeySecretName(instance.getMetadata().getName());
        String secretKey = ref != null ? ref.keyOr(Labels.PRIVATE_KEY) : Labels.PRIVATE_KEY;
        Optional<String> privateKey = data(keySecrets.apply(namespace, secretName), secretKey);
        if (privateKey.isEmpty()) {
            return new InstancePlan(name, null, "The instance's private key is not available: Secret " + secretName
                    + " with key " + secretKey + " was not found.", Reasons.KEY_SECRET_NOT_FOUND, plans);
        }
        int port = spec.getListenPort() == null ? DEFAULT_LISTEN_PORT : spec.getListenPort();
        DesiredInterface desired = new DesiredInterface(name, owner(instance), privateKey.get(), port,
                spec.getAddress() == null ? List.of() : spec.getAddress(), spec.getMtu(), wanted, routes, complete, retain);
        return new InstancePlan(name, desired, null, null, plans);
    }

    static PeerPlan planPeer(VpnPeer peer, BiFunction<String, String, Secret> secrets) {
        if (peer.getSpec() != null && peer.getSpec().restrictedOrDefault()) {
            return PeerPlan.of(PeerPlan.Kind.RESTRICTED, "The peer is restricted: it keeps its address but is not on the interface.");
        }
        VpnPeerStatus status = peer.getStatus();
        if (status == null || !Objects.equals(status.getObservedGeneration(), peer.getMetadata().getGeneration())) {
            return PeerPlan.of(PeerPlan.Kind.PENDING, "Waiting for the operator to process generation "
                    + peer.getMetadata().getGeneration() + ".");
        }
        for (String part : PeerConditions.OPERATOR_OWNED) {
            Optional<Condition> condition = Conditions.find(status.getConditions(), part);
            if (condition.isPresent() && Conditions.FALSE.equals(condition.get().getStatus())) {
                return PeerPlan.of(PeerPlan.Kind.NOT_VALID, "The peer is not applied: " + part + " is False ("
                        + condition.get().getReason() + "): " + condition.get().getMessage());
            }
        }
        for (String part : PeerConditions.OPERATOR_OWNED) {
            if (!Conditions.isTrue(status.getConditions(), part)) {
                return PeerPlan.of(PeerPlan.Kind.PENDING, "Waiting for " + part + ".");
            }
        }
        if (status.getPublicKey() == null) {
            return PeerPlan.of(PeerPlan.Kind.PENDING, "Waiting for the peer's public key.");
        }
        Secret config = secrets.apply(peer.getMetadata().getNamespace(), Labels.peerConfigSecretName(peer.getMetadata().getName()));
        if (config == null) {
            return PeerPlan.of(PeerPlan.Kind.PENDING, "Waiting for the config Secret " + Labels.peerConfigSecretName(peer.getMetadata().getName()) + ".");
        }
        Set<String> allowed = new LinkedHashSet<>();
        if (status.getAllowedIPs() != null) {
            allowed.addAll(status.getAllowedIPs());
        }
        if (peer.getSpec().isSite() && peer.getSpec().getSubnets() != null) {
            allowed.addAll(peer.getSpec().getSubnets());
        }
        int keepalive = peer.getSpec().getPersistentKeepalive() == null ? 0 : peer.getSpec().getPersistentKeepalive();
        return PeerPlan.desired(new WgPeerConfig(status.getPublicKey(), data(config, Labels.PRESHARED_KEY).orElse(null),
                peer.getSpec().getEndpoint(), allowed, keepalive));
    }

    /** A Secret's data entry as text (a base64 WireGuard key), trimmed; empty when absent. */
    static Optional<String> data(Secret secret, String key) {
        if (secret == null) {
            return Optional.empty();
        }
        if (secret.getData() != null && secret.getData().get(key) != null) {
            String value = new String(Base64.getDecoder().decode(secret.getData().get(key).strip()), StandardCharsets.UTF_8).strip();
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }
        if (secret.getStringData() != null && secret.getStringData().get(key) != null) {
            String value = secret.getStringData().get(key).strip();
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }
        return Optional.empty();
    }
}
