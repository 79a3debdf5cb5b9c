package io.peerwarden.core.node;

import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.api.v1alpha1.VpnInstanceStatus;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.core.naming.InterfaceNames;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.policy.InstallPolicy;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.status.InstanceConditions;
import io.peerwarden.core.status.PeerConditions;
import io.peerwarden.core.validation.InstanceSpecValidator;
import io.peerwarden.core.validation.Problem;
import io.peerwarden.core.wg.WgPeerConfig;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns cached resources into the desired state of an instance's interface on the agent's node: a function of
 * the VpnInstance, its VpnPeers and the keys the operator published for the node ({@link NodeKeys}), no API calls. The node agent's counterpart of the
 * operator's {@link io.peerwarden.core.plan.InstancePlanner}.
 */
public final class DesiredState {

    /** Only when neither the spec nor the operator's status names a port (an accepted instance always has one). */
    public static final int DEFAULT_LISTEN_PORT = InstallPolicy.DEFAULT_PORTS.min();
    /** Alias prefix marking links the agent manages (the rest of the alias is namespace/name of the instance). */
    public static final String ALIAS_PREFIX = "peerwarden:";

    private static final InstanceSpecValidator SPEC_VALIDATOR = new InstanceSpecValidator();

    private DesiredState() {
    }

    /** Whether the instance runs on this node: status.nodeName, or spec.nodeName while the operator has not set it. */
    public static boolean isOnNode(VpnInstance instance, String nodeName) {
        String scheduled = instance.scheduledNode();
        return nodeName.equals(scheduled);
    }

    /**
     * Whether two versions of an instance give its interface the same desired state apart from its peers: same
     * generation (spec), node, interface name, port and acceptance. Status the operator writes often (peer counts,
     * pools) or the agent writes (Applied) is not among them, so such a write does not cost a full pass.
     */
    public static boolean sameInterfaceInputs(VpnInstance a, VpnInstance b) {
        if (!Objects.equals(a.getMetadata().getGeneration(), b.getMetadata().getGeneration())
                || !Objects.equals(a.getMetadata().getUid(), b.getMetadata().getUid())
                || !Objects.equals(a.getMetadata().getDeletionTimestamp(), b.getMetadata().getDeletionTimestamp())
                || !Objects.equals(a.scheduledNode(), b.scheduledNode())) {
            return false;
        }
        VpnInstanceStatus sa = a.getStatus();
        VpnInstanceStatus sb = b.getStatus();
        if (sa == null || sb == null) {
            return sa == sb;
        }
        return Objects.equals(sa.getObservedGeneration(), sb.getObservedGeneration())
                && Objects.equals(sa.getInterfaceName(), sb.getInterfaceName())
                && Objects.equals(sa.getListenPort(), sb.getListenPort())
                && sameCondition(sa.getConditions(), sb.getConditions(), ConditionTypes.ACCEPTED);
    }

    private static boolean sameCondition(List<Condition> a, List<Condition> b, String type) {
        Optional<Condition> ca = Conditions.find(a, type);
        Optional<Condition> cb = Conditions.find(b, type);
        if (ca.isEmpty() || cb.isEmpty()) {
            return ca.isEmpty() && cb.isEmpty();
        }
        return Objects.equals(ca.get().getStatus(), cb.get().getStatus()) && Objects.equals(ca.get().getReason(), cb.get().getReason())
                && Objects.equals(ca.get().getMessage(), cb.get().getMessage())
                && Objects.equals(ca.get().getObservedGeneration(), cb.get().getObservedGeneration());
    }

    public static String interfaceName(VpnInstance instance) {
        if (instance.getStatus() != null && InterfaceNames.isValid(instance.getStatus().getInterfaceName())) {
            return instance.getStatus().getInterfaceName();
        }
        return InterfaceNames.of(InstallPolicy.DEFAULT_PREFIX, instance.getMetadata().getNamespace(), instance.getMetadata().getName(),
                instance.getSpec());
    }

    /** The link alias that marks the interface as the agent's, naming its instance. */
    public static String owner(VpnInstance instance) {
        return ALIAS_PREFIX + instance.getMetadata().getNamespace() + "/" + instance.getMetadata().getName();
    }

    /**
     * @param keys     what the operator published for this node ({@link NodeKeys}): the instance's server key and its
     *                 peers' preshared keys by UID; each is checked here before it is used
     * @param complete whether the caches are synced (the peer set is complete)
     */
    public static InterfacePlan plan(VpnInstance instance, Collection<VpnPeer> peers, NodeKeys.Lookup keys, boolean complete) {
        String name = interfaceName(instance);
        Optional<InterfacePlan> notAccepted = notAccepted(instance, name, peers);
        if (notAccepted.isPresent()) {
            return notAccepted.get();
        }
        Map<String, PeerDisposition> plans = new LinkedHashMap<>();
        List<WgPeerConfig> wanted = new ArrayList<>();
        Set<String> retain = new HashSet<>();
        Map<String, String> routes = new LinkedHashMap<>();
        for (VpnPeer peer : peers) {
            PeerDisposition plan = planPeer(peer, keys);
            plans.put(peer.getMetadata().getName(), plan);
            List<String> subnets = peer.getSpec() != null ? peer.getSpec().siteSubnets() : List.of();
            if (plan.kind() == PeerDisposition.Kind.DESIRED) {
                wanted.add(plan.config());
                subnets.forEach(s -> routes.put(s, plan.config().publicKey()));
            } else if (plan.kind() == PeerDisposition.Kind.PENDING) {
                String key = peer.getStatus() == null ? null : peer.getStatus().getPublicKey();
                if (key != null) {
                    retain.add(key);
                    subnets.forEach(s -> routes.putIfAbsent(s, key));
                }
            }
        }

        VpnInstanceSpec spec = instance.getSpec();
        // the agent applies only a spec that passes the operator's own validation: a value that did not
        // pass the schema (mock, CRD upgrade) never reaches an ip or wg argument. Where the instance runs
        // is the operator's decision, in status.nodeName, so the node fields are not the agent's to judge.
        List<Problem> invalid = SPEC_VALIDATOR.validate(spec).stream().filter(p -> !p.field().startsWith("spec.node")).toList();
        if (!invalid.isEmpty()) {
            return new InterfacePlan(name, null, "The instance's spec is not valid, so it is not applied: "
                    + invalid.get(0).message(), invalid.get(0).reason(), plans);
        }
        String node = instance.scheduledNode();
        Optional<String> privateKey = keys.find(NodeKeys.instanceEntry(instance.getMetadata().getUid()));
        if (privateKey.isEmpty()) {
            return new InterfacePlan(name, null, "The operator has not published this instance's private key for node " + node
                    + " yet (Secrets labelled " + Labels.COMPONENT + "=" + Labels.COMPONENT_NODE_KEYS
                    + " in the operator's namespace); it does once KeyReady is True.", Reasons.KEY_NOT_PUBLISHED, plans);
        }
        if (!WireGuardKeys.isValid(privateKey.get().strip())) {
            return new InterfacePlan(name, null, "The private key the operator published for this instance is not a WireGuard key"
                    + " (32 bytes, base64); the interface is left as it is until the operator publishes a valid one.",
                    Reasons.INVALID_KEY, plans);
        }
        Integer decided = spec.getListenPort() != null ? spec.getListenPort() : instance.getStatus().getListenPort();
        int port = decided == null ? DEFAULT_LISTEN_PORT : decided;
        DesiredInterface desired = new DesiredInterface(name, owner(instance), privateKey.get().strip(), port,
                spec.getAddress() == null ? List.of() : spec.getAddress(), spec.getMtu(), wanted, routes, complete, retain);
        return new InterfacePlan(name, desired, null, null, plans);
    }

    /**
     * The operator decides whether an instance may have its interface on the node (Accepted: valid, allowed by the
     * install policy, name and port free on the node); the agent applies only what it accepted for the current
     * generation. Until then nothing is changed: the peers are pending ({@link Reasons#WAITING_FOR_OPERATOR}); an
     * instance the operator refused is reported as {@link Reasons#NOT_ACCEPTED}.
     */
    static Optional<InterfacePlan> notAccepted(VpnInstance instance, String name, Collection<VpnPeer> peers) {
        VpnInstanceStatus status = instance.getStatus();
        Long generation = instance.getMetadata().getGeneration();
        if (status != null && InstanceConditions.acceptedForGeneration(generation, status.getObservedGeneration(), status.getConditions())) {
            return Optional.empty();
        }
        Map<String, PeerDisposition> pending = new LinkedHashMap<>();
        for (VpnPeer peer : peers) {
            pending.put(peer.getMetadata().getName(), PeerDisposition.of(PeerDisposition.Kind.PENDING,
                    "Waiting for the operator to accept VpnInstance " + instance.getMetadata().getName() + "."));
        }
        Optional<Condition> accepted = status == null ? Optional.empty() : Conditions.find(status.getConditions(), ConditionTypes.ACCEPTED);
        if (status != null && Objects.equals(generation, status.getObservedGeneration()) && accepted.isPresent()
                && Conditions.FALSE.equals(accepted.get().getStatus())) {
            return Optional.of(new InterfacePlan(name, null, "The operator did not accept the instance (Accepted is False, "
                    + accepted.get().getReason() + "), so the agent leaves the node as it is: " + accepted.get().getMessage(),
                    Reasons.NOT_ACCEPTED, pending));
        }
        return Optional.of(new InterfacePlan(name, null, "Waiting for the operator to accept generation " + generation
                + " of the instance.", Reasons.WAITING_FOR_OPERATOR, pending));
    }

    /** What the agent does with one peer: the rule {@link #plan} applies to each peer, for a single changed peer. */
    public static PeerDisposition planPeer(VpnPeer peer, NodeKeys.Lookup keys) {
        if (peer.getSpec() != null && peer.getSpec().restrictedOrDefault()) {
            return PeerDisposition.of(PeerDisposition.Kind.RESTRICTED, "The peer is restricted: it keeps its address but is not on the interface.");
        }
        VpnPeerStatus status = peer.getStatus();
        if (status == null || !Objects.equals(status.getObservedGeneration(), peer.getMetadata().getGeneration())) {
            return PeerDisposition.of(PeerDisposition.Kind.PENDING, "Waiting for the operator to process generation "
                    + peer.getMetadata().getGeneration() + ".");
        }
        for (String part : PeerConditions.OPERATOR_OWNED) {
            Optional<Condition> condition = Conditions.find(status.getConditions(), part);
            if (condition.isPresent() && Conditions.FALSE.equals(condition.get().getStatus())) {
                return PeerDisposition.of(PeerDisposition.Kind.NOT_VALID, "The peer is not applied: " + part + " is False ("
                        + condition.get().getReason() + "): " + condition.get().getMessage());
            }
        }
        for (String part : PeerConditions.OPERATOR_OWNED) {
            if (!Conditions.isTrue(status.getConditions(), part)) {
                return PeerDisposition.of(PeerDisposition.Kind.PENDING, "Waiting for " + part + ".");
            }
        }
        if (status.getPublicKey() == null) {
            return PeerDisposition.of(PeerDisposition.Kind.PENDING, "Waiting for the peer's public key.");
        }
        Optional<String> psk = keys.find(NodeKeys.peerEntry(peer.getMetadata().getUid()));
        if (psk.isEmpty()) {
            return PeerDisposition.of(PeerDisposition.Kind.PENDING, "Waiting for the operator to publish the peer's keys for this node.");
        }
        String presharedKey = psk.get().strip();
        if (!presharedKey.isEmpty() && !WireGuardKeys.isValid(presharedKey)) {
            return PeerDisposition.of(PeerDisposition.Kind.KEY_INVALID, "The preshared key the operator published for this peer"
                    + " is not a WireGuard key (32 bytes, base64); the peer is kept off the interface until it is.");
        }
        Set<String> allowed = new LinkedHashSet<>();
        if (status.getAllowedIPs() != null) {
            allowed.addAll(status.getAllowedIPs());
        }
        allowed.addAll(peer.getSpec().siteSubnets());
        int keepalive = peer.getSpec().getPersistentKeepalive() == null ? 0 : peer.getSpec().getPersistentKeepalive();
        return PeerDisposition.desired(new WgPeerConfig(status.getPublicKey(), presharedKey.isEmpty() ? null : presharedKey,
                peer.getSpec().getEndpoint(), allowed, keepalive));
    }
}
