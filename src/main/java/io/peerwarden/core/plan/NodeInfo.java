package io.peerwarden.core.plan;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;

import java.util.List;
import java.util.Map;

/**
 * What the planner needs of a cluster node to place an instance and to derive its endpoint.
 *
 * @param externalIP the node's first ExternalIP address, or null
 * @param internalIP the node's first InternalIP address, or null
 * @param podCIDRs   the node's spec.podCIDRs (never routed to a site)
 */
public record NodeInfo(String name, Map<String, String> labels, String externalIP, String internalIP, List<String> podCIDRs) {

    public NodeInfo {
        podCIDRs = podCIDRs == null ? List.of() : List.copyOf(podCIDRs);
    }

    /** A node without pod networks. */
    public NodeInfo(String name, Map<String, String> labels, String externalIP, String internalIP) {
        this(name, labels, externalIP, internalIP, List.of());
    }

    /** A node whose addresses are not known. */
    public NodeInfo(String name, Map<String, String> labels) {
        this(name, labels, null, null);
    }

    /** The address clients should dial: the ExternalIP, else the InternalIP; null when the node has neither. */
    public String dialAddress() {
        if (externalIP != null && !externalIP.isBlank()) {
            return externalIP;
        }
        return internalIP == null || internalIP.isBlank() ? null : internalIP;
    }

    /** The node as the planner reads it: name, labels, the first ExternalIP and InternalIP address, and its pod CIDRs. */
    public static NodeInfo of(Node node) {
        List<NodeAddress> addresses = node.getStatus() == null || node.getStatus().getAddresses() == null
                ? List.of() : node.getStatus().getAddresses();
        return new NodeInfo(node.getMetadata().getName(),
                node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels(),
                firstAddress(addresses, "ExternalIP"), firstAddress(addresses, "InternalIP"),
                node.getSpec() == null ? null : node.getSpec().getPodCIDRs());
    }

    private static String firstAddress(List<NodeAddress> addresses, String type) {
        return addresses.stream().filter(a -> type.equals(a.getType())).map(NodeAddress::getAddress)
                .filter(a -> a != null && !a.isBlank()).findFirst().orElse(null);
    }
}
