package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.PoolStatus;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.node.NodeKeys;
import io.peerwarden.core.net.AddressPool;
import io.peerwarden.core.policy.InstallPolicy;
import io.peerwarden.core.policy.PolicyChecks;
import io.peerwarden.core.status.ConditionState;
import io.peerwarden.core.status.InstanceConditions;
import io.peerwarden.core.status.PeerConditions;
import io.peerwarden.core.tenancy.NamespaceLabels;
import io.peerwarden.core.tenancy.PeerAttachment;
import io.peerwarden.core.validation.InstanceSpecValidator;
import io.peerwarden.core.validation.PeerSpecValidator;
import io.peerwarden.core.validation.Problem;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static io.peerwarden.core.plan.SecretData.madeFor;
import static io.peerwarden.core.plan.SecretData.ours;

/**
 * Decides, as a pure function of the cluster state it is given, everything the operator writes for
 * an instance and its peers: validity, collisions (first holder by {@link Seniority} wins),
 * addresses, keys, rendered configs and conditions. The operator only reads its caches into this
 * and writes the differences out.
 *
 * <p>Public shape: {@link #plan} takes the instance, its peers, a {@link SecretLookup}, the
 * {@link AllocationLedger} (read only), the cluster's nodes and the other instances (with, when
 * they share the node, their peers), and returns an {@link InstancePlan}: the instance's status
 * fields and key Secret, one {@link PeerPlan} per peer (status fields, conditions, config Secret),
 * and the addresses decided ({@link InstancePlan#allocations()}), which the caller records in the
 * ledger. Nothing given is modified.
 *
 * <p>The steps, each in its own class: validate the specs; {@link KeyResolution} the instance key;
 * {@link NodePlacement} the node and pool overlaps; {@link AddressClaims} claims in seniority order,
 * then allocation; per peer, {@link KeyResolution} its keys, {@link PeerSecretLayout} its config
 * Secret and {@link PeerConditions} its conditions. Step 3 runs on every core for a large group
 * ({@link PeerSteps}); its public-key claims stay serial in seniority order.
 *
 * <p>Incremental plans: with a {@link PlanMemory} and {@link PeerChanges#only}, {@link IncrementalPlan} plans
 * just the changed peers when no other peer's outcome can depend on them; the memory is filled by every full
 * plan ({@link MemoryFill}). Both run the same per-peer steps below, so there is one home for each decision.
 */
public final class InstancePlanner {

    private final KeyResolution keys;
    private final PeerSpecValidator peerValidator = new PeerSpecValidator();
    private final InstanceSpecValidator instanceValidator = new InstanceSpecValidator();
    private final PolicyChecks policy;
    private final NodePlacement placement;
    private final NodeSlots slots;
    private final PeerGuard guard = new PeerGuard();

    /** With the install policy's defaults. */
    public InstancePlanner(KeySource keys) {
        this(keys, InstallPolicy.defaults());
    }

    public InstancePlanner(KeySource keys, InstallPolicy policy) {
        this.keys = new KeyResolution(keys);
        this.policy = new PolicyChecks(policy);
        this.placement = new NodePlacement(instanceValidator, peerValidator, this.policy);
        this.slots = new NodeSlots(instanceValidator, this.policy);
    }

    /**
     * @param nodes          the cluster's nodes, or null when they cannot be read (placement is then taken on trust)
     * @param otherInstances every other instance the operator knows (for pool overlaps on the same node)
     */
    public InstancePlan plan(VpnInstance instance, Collection<VpnPeer> peers, SecretLookup secrets,
                             AllocationLedger ledger, List<NodeInfo> nodes, Collection<VpnInstance> otherInstances) {
        return plan(instance, peers, secrets, ledger, nodes, otherInstances, Map.of());
    }

    /**
     * @param peersOfOtherInstances the peers of other instances: the site subnets of those on the same
     *                              node are routed on the same host, so they take part in the
     *                              collision check (first holder by seniority wins across instances)
     */
    public InstancePlan plan(VpnInstance instance, Collection<VpnPeer> peers, SecretLookup secrets,
                             AllocationLedger ledger, List<NodeInfo> nodes, Collection<VpnInstance> otherInstances,
                             Map<String, ? extends Collection<VpnPeer>> peersOfOtherInstances) {
        return plan(instance, peers, secrets, ledger, nodes, otherInstances, peersOfOtherInstances, NamespaceLabels.UNKNOWN);
    }

    /**
     * The plan for the peers that changed since the last plan with {@code memory}, deciding exactly what a plan
     * of every peer would; {@link InstancePlan#peers()} then holds the plans of the peers planned again (every
     * peer when {@link InstancePlan#complete()}), while the instance-level figures (pools, collisions, node
     * keys) always describe the whole group. {@link IncrementalPlan} says when only the changed peers are
     * planned; otherwise this is a full plan, which refills {@code memory}.
     *
     * @param planned called with each peer's plan as soon as it is decided, from any thread and before this
     *                returns, so the caller can start writing config Secrets while other peers are still being
     *                planned (a first rollout of thousands of peers); every plan it receives is also in the result
     */
    public InstancePlan plan(VpnInstance instance, PeerChanges peers, SecretLookup secrets, AllocationLedger ledger,
                             List<NodeInfo> nodes, Collection<VpnInstance> otherInstances,
                             Map<String, ? extends Collection<VpnPeer>> peersOfOtherInstances, NamespaceLabels namespaces,
                             PlanMemory memory, Consumer<PeerPlan> planned) {
        PlanGroup group = decideGroup(instance, secrets, ledger, nodes, otherInstances, peersOfOtherInstances, namespaces);
        if (!peers.everything() && memory.canContinue(group.fingerprint(), ledger)) {
            Optional<InstancePlan> incremental = new IncrementalPlan(this, group, memory).plan(peers.changed(), namespaces, planned);
            if (incremental.isPresent()) {
                return incremental.get();
            }
        }
        memory.clear();
        return fullPlan(group, peers.all().get(), namespaces, memory, planned);
    }

    /**
     * @param peers      the peers naming this instance, from every namespace: those whose namespace
     *                   spec.peerNamespaces does not admit are {@code Valid=False, NotAllowed} and claim nothing
     * @param namespaces the labels of the peers' namespaces (for spec.peerNamespaces.from: Selector)
     */
    public InstancePlan plan(VpnInstance instance, Collection<VpnPeer> peers, SecretLookup secrets,
                             AllocationLedger ledger, List<NodeInfo> nodes, Collection<VpnInstance> otherInstances,
                             Map<String, ? extends Collection<VpnPeer>> peersOfOtherInstances, NamespaceLabels namespaces) {
        PlanGroup group = decideGroup(instance, secrets, ledger, nodes, otherInstances, peersOfOtherInstances, namespaces);
        return fullPlan(group, peers, namespaces, null, p -> { });
    }

    /** The instance-level decisions: O(instances + nodes + neighbour sites), never O(this instance's peers). */
    private PlanGroup decideGroup(VpnInstance instance, SecretLookup secrets, AllocationLedger ledger, List<NodeInfo> nodes,
                                  Collection<VpnInstance> otherInstances,
                                  Map<String, ? extends Collection<VpnPeer>> peersOfOtherInstances, NamespaceLabels namespaces) {
        VpnInstanceSpec spec = instance.getSpec() == null ? new VpnInstanceSpec() : instance.getSpec();
        List<Problem> problems = new ArrayList<>(instanceValidator.validate(spec));
        List<AddressPool> pools = problems.isEmpty() ? instanceValidator.pools(spec) : List.of();
        KeyResolution.InstanceKey key = keys.instanceKey(instance, secrets);
        String nodeName = placement.selectNode(instance, spec, nodes, problems);
        if (problems.isEmpty()) {
            policy.interfaceName(spec).ifPresent(problems::add);
            policy.listenPort(spec).ifPresent(problems::add);
        }
        if (problems.isEmpty() && nodeName != null) {
            placement.poolOverlap(instance, pools, nodeName, otherInstances).ifPresent(problems::add);
        }
        Integer listenPort = null;
        if (problems.isEmpty() && nodeName != null) {
            NodeSlots.Slot slot = slots.decide(instance, nodeName, otherInstances);
            problems.addAll(slot.problems());
            listenPort = slot.listenPort();
        }
        String endpoint = placement.endpoint(spec, listenPort, nodeName, nodes, problems);
        ConditionState accepted = InstanceConditions.accepted(problems);
        ConditionState problem = InstanceConditions.notUsable(problems, key.condition()).orElse(null);
        PlanContext context = new PlanContext(instance, spec, pools, key.publicKey(), problem, nodeName, endpoint,
                secrets, ledger);
        Map<String, List<String>> podCIDRs = podCIDRs(nodes);
        PolicyChecks.SiteSubnets siteRules = policy.siteSubnets(podCIDRs);
        List<VpnPeer> neighbours = nodeName == null ? List.of()
                : placement.neighbourSites(instance, nodeName, otherInstances, peersOfOtherInstances, namespaces, siteRules);
        return PlanGroup.of(context, accepted, key, listenPort, slots.nameOf(instance), siteRules, neighbours, podCIDRs);
    }

    private InstancePlan fullPlan(PlanGroup group, Collection<VpnPeer> peers, NamespaceLabels namespaces, PlanMemory memory,
                                  Consumer<PeerPlan> planned) {
        PlanContext context = group.context();
        List<PeerWork> work = Seniority.sorted(peers).stream().map(PeerWork::new).toList();
        for (PeerWork w : work) {
            validate(group, w, namespaces);
        }
        AddressClaims claims = new AddressClaims(context, guard);
        claims.claim(work, group.neighbours());
        claims.allocate(work);
        PublicKeyClaims publicKeys = new PublicKeyClaims(Seniority.key(context.instance()), context.serverPublicKey());
        List<PeerPlan> plans = PeerSteps.keysAndRender(this, context, work, publicKeys, planned);
        Map<String, String> nodeKeys = nodeKeys(context.instance(), group.key(), plans);
        InstancePlan plan = new InstancePlan(context.usable(), context.problem(), group.accepted(), group.key().condition(),
                context.serverPublicKey(), context.nodeName(), context.endpoint(), group.interfaceName(), group.listenPort(),
                poolStatus(context.pools(), work), group.key().toCreate(), plans, true, collisions(work), allocations(work), nodeKeys, null);
        if (memory != null) {
            MemoryFill.fill(memory, group, claims, work, nodeKeys);
        }
        return plan;
    }

    /** Step 0 for one peer: admission, spec and site subnet rules. */
    void validate(PlanGroup group, PeerWork w, NamespaceLabels namespaces) {
        guard.run(w, "validation", () -> {
            PeerAttachment.check(group.context().instance(), w.peer, namespaces).ifPresent(p -> {
                w.problems.add(p);
                w.notAllowed = true;
            });
            w.problems.addAll(peerValidator.validate(w.spec, group.context().pools()));
            w.problems.addAll(group.siteRules().problems(w.spec.siteSubnets()));
        });
    }

    /** The public key the peer brings (spec.publicKey, or its privateKeySecretRef's), minting and deciding nothing. */
    String userPublicKey(PlanContext context, VpnPeer peer) {
        return keys.checkUserKeys(new PeerWork(peer), context.secrets());
    }

    PeerGuard guard() {
        return guard;
    }

    private static Map<String, List<String>> podCIDRs(List<NodeInfo> nodes) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (nodes != null) {
            nodes.stream().filter(n -> !n.podCIDRs().isEmpty()).forEach(n -> result.put(n.name(), n.podCIDRs()));
        }
        return result;
    }

    /** The server key and each rendered peer's preshared key ("" for none), for the agent of the instance's node. */
    static Map<String, String> nodeKeys(VpnInstance instance, KeyResolution.InstanceKey key, List<PeerPlan> plans) {
        Map<String, String> entries = new LinkedHashMap<>();
        if (key.privateKey() == null || instance.getMetadata().getUid() == null) {
            return entries;
        }
        entries.put(NodeKeys.instanceEntry(instance.getMetadata().getUid()), SecretData.b64(key.privateKey()));
        for (PeerPlan plan : plans) {
            if (plan.valid() && plan.secret() != null && plan.peer().getMetadata().getUid() != null) {
                entries.put(NodeKeys.peerEntry(plan.peer().getMetadata().getUid()),
                        plan.secret().data().getOrDefault(Labels.PRESHARED_KEY, ""));
            }
        }
        return entries;
    }

    /** Step 3a for one peer (any thread): its config Secret's name, and its keys; null when it failed. */
    PeerSteps.Keys resolveKeys(PlanContext context, PeerWork w) {
        if (w.failed()) {
            return null;
        }
        try {
            String secretName = Labels.peerConfigSecretName(w.peer.getMetadata().getName());
            Optional<SecretLookup.SecretState> underConfigName = context.secrets().find(w.peer.getMetadata().getNamespace(), secretName);
            Optional<SecretLookup.SecretState> managed = underConfigName.filter(SecretData::ours).filter(s -> madeFor(s, w.peer));
            if (underConfigName.isPresent() && !ours(underConfigName.get())) {
                w.problems.add(new Problem(Reasons.SECRET_NAME_TAKEN, "metadata.name", "Secret " + secretName
                        + " exists but was not created by Peerwarden, so the peer's config cannot be written there"
                        + " (Peerwarden never modifies Secrets it did not create): rename or delete that Secret, or rename the peer."));
            }
            // keys are only decided for a peer that will be rendered, so a broken peer never mints keys;
            // the user's own keys are checked whatever else is wrong, so Valid reports every problem
            KeyResolution.PeerKeys peerKeys = null;
            String publicKey;
            if (w.hasProblem() || !context.usable()) {
                publicKey = keys.checkUserKeys(w, context.secrets());
            } else {
                peerKeys = keys.peerKeys(w, context.secrets(), managed);
                publicKey = peerKeys.publicKey();
            }
            return new PeerSteps.Keys(secretName, managed, peerKeys, publicKey);
        } catch (RuntimeException e) {
            guard.fail(w, "key resolution or rendering", e);
            return null;
        }
    }

    /** Step 3c for one peer (any thread), under the {@link PeerGuard}: a peer that failed gets its InternalError plan. */
    PeerPlan render(PlanContext context, PeerWork w, PeerSteps.Keys k) {
        if (k != null && !w.failed()) {
            try {
                return renderPeer(context, w, k);
            } catch (RuntimeException e) {
                guard.fail(w, "key resolution or rendering", e);
            }
        }
        // no addresses, keys or Secret: the status keeps what it had (allowedIPs null leaves it), nothing is lost
        List<ConditionState> conditions = PeerConditions.planned(w.problems, List.of(), w.explicit, null);
        return new PeerPlan(w.peer, false, null, null, null, conditions, null, context.nodeName());
    }

    private PeerPlan renderPeer(PlanContext context, PeerWork w, PeerSteps.Keys k) {
        String secretName = k.secretName();
        KeyResolution.PeerKeys peerKeys = k.peerKeys();
        boolean valid = context.usable() && !w.hasProblem() && !w.addresses.isEmpty();
        DesiredSecret secret = null;
        ConditionState notRendered = null;
        if (valid) {
            try {
                secret = PeerSecretLayout.configSecret(context, w, peerKeys, secretName, k.managed());
            } catch (IllegalArgumentException e) {
                // the renderer refused a value (or the QR code overflowed): its own condition says why,
                // the other peers go on; anything else is unexpected and left to the PeerGuard
                notRendered = RenderFailure.of(e);
                valid = false;
            }
        }
        List<String> addresses = w.addressStrings();
        String instanceNotReady = context.usable() ? null
                : "VpnInstance " + context.instanceName() + " cannot carry peers: " + context.problem().message();
        List<ConditionState> conditions = PeerConditions.planned(w.problems, addresses, w.explicit, valid ? secretName : null,
                notRendered, instanceNotReady);
        if (valid && peerKeys.regenerated() != null) {
            conditions = PeerConditions.keysRegenerated(conditions, secretName, peerKeys.regenerated(), peerKeys.publicKey());
        }
        return new PeerPlan(w.peer, valid, addresses, valid ? peerKeys.publicKey() : null, valid ? secretName : null,
                conditions, secret, context.nodeName());
    }

    private static List<PoolStatus> poolStatus(List<AddressPool> pools, List<PeerWork> work) {
        long[] counts = new long[pools.size()];
        for (int i = 0; i < pools.size(); i++) {
            AddressPool pool = pools.get(i);
            counts[i] = work.stream().filter(w -> w.addresses.stream().anyMatch(pool::contains)).count();
        }
        return poolStatus(pools, counts);
    }

    static List<PoolStatus> poolStatus(List<AddressPool> pools, long[] counts) {
        List<PoolStatus> result = new ArrayList<>();
        for (int i = 0; i < pools.size(); i++) {
            AddressPool pool = pools.get(i);
            PoolStatus ps = new PoolStatus();
            ps.setFamily(pool.isIPv4() ? "IPv4" : "IPv6");
            ps.setCidr(pool.network().toString());
            ps.setSize(pool.size().toString());
            ps.setAllocated(counts[i]);
            result.add(ps);
        }
        return result;
    }

    static int collisions(List<PeerWork> work) {
        return (int) work.stream()
                .filter(w -> w.problems.stream().anyMatch(p -> Reasons.ALLOWED_IP_TAKEN.equals(p.reason())))
                .count();
    }

    /** The addresses each peer holds after this plan, by UID (a peer without a UID is not remembered). */
    static Map<String, List<String>> allocations(List<PeerWork> work) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (PeerWork w : work) {
            if (!w.addresses.isEmpty() && w.uid() != null) {
                result.put(w.uid(), w.addressStrings());
            }
        }
        return result;
    }
}
