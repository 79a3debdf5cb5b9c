package io.peerwarden.core.plan;

import io.fabric8.kubernetes.api.model.Condition;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.net.AddressPool;
import io.peerwarden.core.net.Endpoint;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.tenancy.NamespaceLabels;
import io.peerwarden.core.tenancy.PeerAttachment;
import io.peerwarden.core.policy.PolicyChecks;
import io.peerwarden.core.validation.InstanceSpecValidator;
import io.peerwarden.core.validation.PeerSpecValidator;
import io.peerwarden.core.validation.Problem;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an instance runs and what it shares that node with: node selection, pool overlaps with the
 * instances already on the node, and the site peers of those instances (their subnets are routed on
 * the same host).
 */
final class NodePlacement {

    private final InstanceSpecValidator instanceValidator;
    private final PeerSpecValidator peerValidator;
    private final PolicyChecks policy;

    NodePlacement(InstanceSpecValidator instanceValidator, PeerSpecValidator peerValidator, PolicyChecks policy) {
        this.instanceValidator = instanceValidator;
        this.peerValidator = peerValidator;
        this.policy = policy;
    }

    /**
     * The node the instance runs on, or null (with a problem added when no node fits).
     *
     * @param nodes the cluster's nodes, or null when they cannot be read (placement is then taken on trust)
     */
    String selectNode(VpnInstance instance, VpnInstanceSpec spec, List<NodeInfo> nodes, List<Problem> problems) {
        if (spec.getNodeName() != null && !spec.getNodeName().isBlank()) {
            Optional<NodeInfo> named = nodes == null ? Optional.empty()
                    : nodes.stream().filter(n -> n.name().equals(spec.getNodeName())).findFirst();
            if (nodes != null && named.isEmpty()) {
                problems.add(new Problem(Reasons.NODE_NOT_FOUND, "spec.nodeName",
                        "Node " + spec.getNodeName() + " named in spec.nodeName does not exist: fix spec.nodeName or use spec.nodeSelector."));
                return null;
            }
            Optional<Problem> notAllowed = named.flatMap(n -> policy.node(n.name(), n.labels(), "spec.nodeName"));
            if (notAllowed.isPresent()) {
                problems.add(notAllowed.get());
                return null;
            }
            return spec.getNodeName();
        }
        Map<String, String> selector = spec.getNodeSelector();
        String current = instance.getStatus() == null ? null : instance.getStatus().getNodeName();
        if (selector == null || selector.isEmpty() || nodes == null) {
            return current;
        }
        List<NodeInfo> matching = nodes.stream()
                .filter(n -> selector.entrySet().stream().allMatch(e -> Objects.equals(n.labels().get(e.getKey()), e.getValue())))
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .toList();
        if (matching.isEmpty()) {
            problems.add(new Problem(Reasons.NODE_NOT_FOUND, "spec.nodeSelector",
                    "No node matches spec.nodeSelector " + selector + ": label a node or change the selector."));
            return null;
        }
        List<NodeInfo> allowed = matching.stream().filter(n -> policy.nodeAllowed(n.labels())).toList();
        if (allowed.isEmpty()) {
            problems.add(policy.node(matching.get(0).name(), matching.get(0).labels(), "spec.nodeSelector").orElseThrow());
            return null;
        }
        matching = allowed;
        // stay on the current node while it still matches: moving an interface drops every session
        return matching.stream().filter(n -> n.name().equals(current)).findFirst().orElse(matching.get(0)).name();
    }

    /**
     * The host:port clients dial: spec.endpoint (with the listen port where it names none), else the
     * node's ExternalIP, else its InternalIP, with the listen port. Null, with an
     * {@code EndpointUnknown} problem added, when none can be derived; null without one when the
     * instance already has a problem (no node to derive from is reported as that).
     */
    String endpoint(VpnInstanceSpec spec, Integer listenPort, String nodeName, List<NodeInfo> nodes, List<Problem> problems) {
        if (spec.getEndpoint() != null && !spec.getEndpoint().isBlank()) {
            Integer shown = listenPort != null ? listenPort : spec.getListenPort();
            return shown != null ? PeerSecretLayout.serverEndpoint(spec, shown)
                    : Endpoint.parse(spec.getEndpoint()).filter(e -> e.port() != null).map(Endpoint::toString).orElse(null);
        }
        if (!problems.isEmpty() || listenPort == null) {
            return null;
        }
        int port = listenPort;
        Optional<NodeInfo> node = nodes == null || nodeName == null ? Optional.empty()
                : nodes.stream().filter(n -> n.name().equals(nodeName)).findFirst();
        String address = node.map(NodeInfo::dialAddress).orElse(null);
        if (address != null) {
            return new Endpoint(address.strip(), port).toString();
        }
        String why = nodeName == null ? "no node is known for the instance"
                : node.isEmpty() ? "node " + nodeName + " cannot be read"
                : "node " + nodeName + " has no ExternalIP or InternalIP address";
        problems.add(new Problem(Reasons.ENDPOINT_UNKNOWN, "spec.endpoint", "spec.endpoint is not set and " + why
                + ", so clients have no address to dial: set spec.endpoint to the host:port clients reach the node at."));
        return null;
    }

    /** The first pool of a senior instance on the same node that overlaps one of this instance's pools. */
    Optional<Problem> poolOverlap(VpnInstance instance, List<AddressPool> pools, String nodeName, Collection<VpnInstance> others) {
        for (VpnInstance other : others.stream().sorted(Seniority.ORDER).toList()) {
            if (Seniority.ORDER.compare(other, instance) >= 0 || other.getSpec() == null) {
                continue;
            }
            if (!nodeName.equals(other.scheduledNode()) || !instanceValidator.validate(other.getSpec()).isEmpty()) {
                continue;
            }
            for (AddressPool mine : pools) {
                for (AddressPool theirs : instanceValidator.pools(other.getSpec())) {
                    if (mine.network().overlaps(theirs.network())) {
                        return Optional.of(new Problem(Reasons.POOL_OVERLAP, "spec.address",
                                "Pool " + mine.network() + " overlaps pool " + theirs.network() + " of VpnInstance "
                                        + Seniority.key(other) + " on the same node " + nodeName
                                        + ", which was there first: choose a different address range."));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Site peers of the other instances that run on the same node, with subnets. A site that is
     * invalid in its own instance (or whose instance's spec is invalid) is never applied, so it
     * routes nothing and claims nothing here; nor does one its own instance's plan refused for the
     * current generation (e.g. it lost a collision there: {@code Valid=False, AllowedIPTaken}), as
     * that plan alone sees the peers it lost to. When its holder goes, its own instance re-plans it
     * Valid, and that status change re-plans the instances on the node.
     */
    List<VpnPeer> neighbourSites(VpnInstance instance, String nodeName, Collection<VpnInstance> others,
                                 Map<String, ? extends Collection<VpnPeer>> peersOfOtherInstances, NamespaceLabels namespaces,
                                 PolicyChecks.SiteSubnets siteRules) {
        List<VpnPeer> sites = new ArrayList<>();
        for (VpnInstance other : others) {
            if (!nodeName.equals(other.scheduledNode()) || other.getMetadata().getUid() != null
                    && other.getMetadata().getUid().equals(instance.getMetadata().getUid())) {
                continue;
            }
            if (other.getSpec() == null || !instanceValidator.validate(other.getSpec()).isEmpty()) {
                continue;
            }
            List<AddressPool> pools = instanceValidator.pools(other.getSpec());
            Collection<VpnPeer> theirs = peersOfOtherInstances.get(Seniority.key(other));
            for (VpnPeer peer : theirs == null ? List.<VpnPeer>of() : theirs) {
                // a site its instance does not admit (spec.peerNamespaces) or the install policy refuses routes
                // nothing, from its first moment
                if (peer.getSpec() != null && !peer.getSpec().siteSubnets().isEmpty() && !refusedByItsOwnPlan(peer)
                        && PeerAttachment.check(other, peer, namespaces).isEmpty()
                        && peerValidator.validate(peer.getSpec(), pools).isEmpty()
                        && siteRules.problems(peer.getSpec().siteSubnets()).isEmpty()) {
                    sites.add(peer);
                }
            }
        }
        return sites;
    }

    /** True when the peer's own instance has decided it is not valid for its current generation. */
    private static boolean refusedByItsOwnPlan(VpnPeer peer) {
        if (peer.getStatus() == null) {
            return false;
        }
        Optional<Condition> valid = Conditions.find(peer.getStatus().getConditions(), ConditionTypes.VALID);
        return valid.isPresent() && Conditions.FALSE.equals(valid.get().getStatus())
                && Objects.equals(valid.get().getObservedGeneration(), peer.getMetadata().getGeneration());
    }
}
