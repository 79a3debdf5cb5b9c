package io.peerwarden.core.policy;

import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.core.net.AllowedIpIndex;
import io.peerwarden.core.net.Cidr;
import io.peerwarden.core.net.InvalidCidrException;
import io.peerwarden.core.validation.Problem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the install policy allows an instance and its site peers: the one home of those rules, used
 * by the operator's planner for an instance's own peers and for the site peers of its neighbours.
 */
public final class PolicyChecks {

    private final InstallPolicy policy;
    private final List<Cidr> allowed;

    public PolicyChecks(InstallPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.allowed = policy.allowedSubnets().stream().map(Cidr::parse).toList();
    }

    public InstallPolicy policy() {
        return policy;
    }

    /** Whether a node with these labels may run instances (policy.nodeSelector). */
    public boolean nodeAllowed(Map<String, String> labels) {
        Map<String, String> have = labels == null ? Map.of() : labels;
        return policy.nodeSelector().entrySet().stream().allMatch(e -> Objects.equals(have.get(e.getKey()), e.getValue()));
    }

    /** NodeNotAllowed when the node does not carry policy.nodeSelector's labels. */
    public Optional<Problem> node(String nodeName, Map<String, String> labels, String field) {
        if (nodeAllowed(labels)) {
            return Optional.empty();
        }
        return Optional.of(new Problem(Reasons.NODE_NOT_ALLOWED, field, "Node " + nodeName + " is not allowed to run"
                + " VpnInstances by the install policy (policy.nodeSelector " + policy.nodeSelector()
                + "): choose a node carrying those labels, or ask the cluster admin."));
    }

    /** InterfaceNameNotAllowed when spec.interfaceName does not start with policy.interfacePrefix. */
    public Optional<Problem> interfaceName(VpnInstanceSpec spec) {
        String name = spec.getInterfaceName();
        if (name == null || name.isBlank() || name.startsWith(policy.interfacePrefix())) {
            return Optional.empty();
        }
        return Optional.of(new Problem(Reasons.INTERFACE_NAME_NOT_ALLOWED, "spec.interfaceName", "Interface name "
                + name + " in spec.interfaceName does not start with the install policy's prefix '" + policy.interfacePrefix()
                + "' (policy.interfacePrefix), the only interfaces the node agent manages: use a name starting with it,"
                + " or remove spec.interfaceName to get one derived."));
    }

    /** ListenPortNotAllowed when spec.listenPort lies outside policy.listenPorts. */
    public Optional<Problem> listenPort(VpnInstanceSpec spec) {
        Integer port = spec.getListenPort();
        if (port == null || policy.listenPorts().contains(port)) {
            return Optional.empty();
        }
        return Optional.of(new Problem(Reasons.LISTEN_PORT_NOT_ALLOWED, "spec.listenPort", "Listen port " + port
                + " in spec.listenPort is outside the install policy's range " + policy.listenPorts()
                + " (policy.listenPorts): choose a port in it, or remove spec.listenPort to get a free one."));
    }

    /**
     * The site-subnet rules with the pod networks of the cluster's nodes: build one per plan.
     *
     * @param nodePodCIDRs node name → its spec.podCIDRs
     */
    public SiteSubnets siteSubnets(Map<String, List<String>> nodePodCIDRs) {
        List<AllowedIpIndex.Claim<String>> denied = new ArrayList<>();
        for (String cidr : List.of("127.0.0.0/8", "::1/128")) {
            denied.add(claim(cidr, "loopback, always denied by the install policy"));
        }
        for (String cidr : List.of("169.254.0.0/16", "fe80::/10")) {
            denied.add(claim(cidr, "link-local, always denied by the install policy"));
        }
        for (String cidr : List.of("224.0.0.0/4", "ff00::/8")) {
            denied.add(claim(cidr, "multicast, always denied by the install policy"));
        }
        policy.deniedSubnets().forEach(c -> denied.add(claim(c, "policy.siteSubnets.denied")));
        policy.serviceCIDRs().forEach(c -> denied.add(claim(c, "the cluster's service network, policy.serviceCIDRs")));
        policy.podCIDRs().forEach(c -> denied.add(claim(c, "the cluster's pod network, policy.podCIDRs")));
        nodePodCIDRs.forEach((node, cidrs) -> cidrs.forEach(c -> {
            try {
                denied.add(new AllowedIpIndex.Claim<>("the pod network of node " + node + " (its spec.podCIDRs), always denied by"
                        + " the install policy", Cidr.parse(c.strip()).network()));
            } catch (InvalidCidrException e) {
                // a node's podCIDRs are the API server's; an unreadable one cannot be routed to it either
            }
        }));
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        // CIDRs nest or are disjoint: widest first, a narrower one inside an earlier one adds nothing
        denied.stream().sorted(Comparator.comparingInt(c -> c.cidr().prefixLength())).forEach(c -> {
            if (!index.isClaimed(c.cidr())) {
                index.claim(c.owner(), List.of(c.cidr()));
            }
        });
        return new SiteSubnets(index);
    }

    private static AllowedIpIndex.Claim<String> claim(String cidr, String why) {
        return new AllowedIpIndex.Claim<>(why, Cidr.parse(cidr).network());
    }

    /** Whether a site subnet may be routed on a node: inside an allowed network, overlapping no denied one. */
    public final class SiteSubnets {

        private final AllowedIpIndex<String> denied;

        private SiteSubnets(AllowedIpIndex<String> denied) {
            this.denied = denied;
        }

        /** SubnetNotAllowed for each of the subnets the policy does not allow; entries that do not parse are skipped. */
        public List<Problem> problems(List<String> subnets) {
            List<Problem> problems = new ArrayList<>();
            for (int i = 0; i < subnets.size(); i++) {
                Cidr cidr;
                try {
                    cidr = Cidr.parse(subnets.get(i));
                } catch (InvalidCidrException e) {
                    continue; // reported by validation
                }
                String field = "spec.subnets[" + i + "]";
                Cidr network = cidr.network();
                if (network.prefixLength() == 0) {
                    problems.add(problem(field, "Site subnet " + network + " in " + field + " covers the default route,"
                            + " which the install policy never routes to a site: list the site's networks instead."));
                    continue;
                }
                Optional<AllowedIpIndex.Claim<String>> hit = denied.findOverlap(network);
                if (hit.isPresent()) {
                    problems.add(problem(field, "Site subnet " + network + " in " + field + " overlaps " + hit.get().cidr()
                            + " (" + hit.get().owner() + "): routing it to a site would take over the node's own traffic."
                            + " Remove it or narrow it to the site's own networks."));
                    continue;
                }
                if (allowed.stream().noneMatch(a -> a.network().contains(network))) {
                    problems.add(problem(field, "Site subnet " + network + " in " + field + " is not inside the networks"
                            + " the install policy allows for sites (policy.siteSubnets.allowed " + policy.allowedSubnets()
                            + "): use a site network inside them, or ask the cluster admin."));
                }
            }
            return problems;
        }

        private static Problem problem(String field, String message) {
            return new Problem(Reasons.SUBNET_NOT_ALLOWED, field, message);
        }
    }
}
