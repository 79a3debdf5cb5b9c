package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.PoolStatus;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.net.AddressPool;
import io.peerwarden.core.policy.InstallPolicy;
import io.peerwarden.core.policy.PolicyChecks;
import io.peerwarden.core.status.ConditionState;
import io.peerwarden.core.status.InstanceConditions;
import io.peerwarden.core.status.PeerConditions;
import io.peerwarden.core.validation.InstanceSpecValidator;
import io.peerwarden.core.validation.PeerSpecValidator;
import io.peerwarden.core.validation.Problem;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * Secret and {@link PeerConditions} its conditions.
 */
public final class InstancePlanner {

    private final KeyResolution keys;
    private final PeerSpecValidator peerValidator = new PeerSpecValidator();
    private final InstanceSpecValidator instanceValidator = new InstanceSpecValidator();
    private final PolicyChecks policy;
    private final NodePlacement placement;
    private final NodeSlots slots;

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

        PolicyChecks.SiteSubnets siteRules = policy.siteSubnets(podCIDRs(nodes));
        List<PeerWork> work = peers.stream().sorted(Seniority.ORDER).map(PeerWork::new).toList();
        work.forEach(w -> {
            w.problems.addAll(peerValidator.validate(w.spec, pools));
            w.problems.addAll(siteRules.problems(w.spec.siteSubnets()));
        });
        AddressClaims claims = new AddressClaims(context);
        claims.claim(work, nodeName == null ? List.of()
                : placement.neighbourSites(instance, nodeName, otherInstances, peersOfOtherInstances, siteRules));
        claims.allocate(work);
        List<PeerPlan> plans = work.stream().map(w -> planPeer(context, w)).toList();

        return new InstancePlan(context.usable(), problem, accepted, key.condition(), key.publicKey(), nodeName, endpoint,
                slots.nameOf(instance), listenPort, poolStatus(pools, work), key.toCreate(), plans, collisions(work),
                allocations(work));
    }

    private static Map<String, List<String>> podCIDRs(List<NodeInfo> nodes) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (nodes != null) {
            nodes.stream().filter(n -> !n.podCIDRs().isEmpty()).forEach(n -> result.put(n.name(), n.podCIDRs()));
        }
        return result;
    }

    /** Step 3 for one peer, after claims and allocation: keys, config Secret and conditions. */
    private PeerPlan planPeer(PlanContext context, PeerWork w) {
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
        if (w.hasProblem() || !context.usable()) {
            keys.checkUserKeys(w, context.secrets());
        } else {
            peerKeys = keys.peerKeys(w, context.secrets(), managed);
        }
        boolean valid = context.usable() && !w.hasProblem() && !w.addresses.isEmpty();
        DesiredSecret secret = null;
        ConditionState notRendered = null;
        if (valid) {
            try {
                secret = PeerSecretLayout.configSecret(context, w, peerKeys, secretName, managed);
            } catch (RuntimeException e) {
                // this peer's config cannot be made: its own condition says why, the other peers go on
                notRendered = RenderFailure.of(e);
                valid = false;
            }
        }
        List<String> addresses = w.addressStrings();
        String instanceNotReady = context.usable() ? null
                : "VpnInstance " + context.instanceName() + " cannot carry peers: " + context.problem().message();
        List<ConditionState> conditions = PeerConditions.planned(w.problems, addresses, w.explicit, valid ? secretName : null,
                notRendered, instanceNotReady);
        return new PeerPlan(w.peer, valid, addresses, valid ? peerKeys.publicKey() : null, valid ? secretName : null,
                conditions, secret, context.nodeName());
    }

    private static List<PoolStatus> poolStatus(List<AddressPool> pools, List<PeerWork> work) {
        List<PoolStatus> result = new ArrayList<>();
        for (AddressPool pool : pools) {
            PoolStatus ps = new PoolStatus();
            ps.setFamily(pool.isIPv4() ? "IPv4" : "IPv6");
            ps.setCidr(pool.network().toString());
            ps.setSize(pool.size().toString());
            ps.setAllocated(work.stream().filter(w -> w.addresses.stream().anyMatch(pool::contains)).count());
            result.add(ps);
        }
        return result;
    }

    private static int collisions(List<PeerWork> work) {
        return (int) work.stream()
                .filter(w -> w.problems.stream().anyMatch(p -> Reasons.ALLOWED_IP_TAKEN.equals(p.reason())))
                .count();
    }

    /** The addresses each peer holds after this plan, by UID (a peer without a UID is not remembered). */
    private static Map<String, List<String>> allocations(List<PeerWork> work) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (PeerWork w : work) {
            if (!w.addresses.isEmpty() && w.uid() != null) {
                result.put(w.uid(), w.addressStrings());
            }
        }
        return result;
    }
}
