package io.peerwarden.core.policy;

import io.peerwarden.api.v1alpha1.Formats;
import io.peerwarden.core.net.Cidr;
import io.peerwarden.core.net.InvalidCidrException;

import java.util.List;
import java.util.Map;

/**
 * The cluster admin's install policy (Helm values {@code policy:}, read from the operator's policy
 * file): which nodes instances may use, the interface-name prefix the agent owns, the listen-port
 * range and which site subnets may be routed on a node. The checks are {@link PolicyChecks}; the
 * values are checked here, once, so a bad policy stops the operator at start naming the field.
 *
 * @param nodeSelector    labels a node must carry to run instances; empty: any node
 * @param interfacePrefix every instance interface name starts with it
 * @param listenPorts     the ports instances may listen on; an instance without spec.listenPort gets the lowest free one
 * @param allowedSubnets  a site subnet must lie inside one of these
 * @param deniedSubnets   a site subnet may overlap none of these (besides the {@link #ALWAYS_DENIED} ones)
 * @param podCIDRs        the cluster's pod networks (every node's spec.podCIDRs are denied as well, read from the nodes)
 * @param serviceCIDRs    the cluster's service networks
 */
public record InstallPolicy(Map<String, String> nodeSelector, String interfacePrefix, PortRange listenPorts,
                            List<String> allowedSubnets, List<String> deniedSubnets, List<String> podCIDRs,
                            List<String> serviceCIDRs) {

    public static final String DEFAULT_PREFIX = "pw";
    public static final int MAX_PREFIX = 8;
    public static final PortRange DEFAULT_PORTS = new PortRange(51830, 51929);
    public static final List<String> DEFAULT_ALLOWED = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
            "100.64.0.0/10", "fc00::/7");
    public static final List<String> DEFAULT_SERVICE_CIDRS = List.of("10.96.0.0/12");
    /** Denied whatever the values say: loopback, link-local (cloud metadata at 169.254.169.254), multicast. */
    public static final List<String> ALWAYS_DENIED = List.of("127.0.0.0/8", "::1/128", "169.254.0.0/16", "fe80::/10",
            "224.0.0.0/4", "ff00::/8");

    /** The listen ports instances may use, both ends included. */
    public record PortRange(int min, int max) {
        public boolean contains(int port) {
            return port >= min && port <= max;
        }

        @Override
        public String toString() {
            return min + "-" + max;
        }
    }

    public InstallPolicy {
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
        interfacePrefix = interfacePrefix == null ? DEFAULT_PREFIX : interfacePrefix;
        listenPorts = listenPorts == null ? DEFAULT_PORTS : listenPorts;
        allowedSubnets = allowedSubnets == null ? DEFAULT_ALLOWED : List.copyOf(allowedSubnets);
        deniedSubnets = deniedSubnets == null ? List.of() : List.copyOf(deniedSubnets);
        podCIDRs = podCIDRs == null ? List.of() : List.copyOf(podCIDRs);
        serviceCIDRs = serviceCIDRs == null ? DEFAULT_SERVICE_CIDRS : List.copyOf(serviceCIDRs);
        check(interfacePrefix, listenPorts);
        cidrs("policy.siteSubnets.allowed", allowedSubnets);
        cidrs("policy.siteSubnets.denied", deniedSubnets);
        cidrs("policy.podCIDRs", podCIDRs);
        cidrs("policy.serviceCIDRs", serviceCIDRs);
    }

    /** The defaults of the chart's values. */
    public static InstallPolicy defaults() {
        return new InstallPolicy(null, null, null, null, null, null, null);
    }

    private static void check(String prefix, PortRange ports) {
        if (prefix.isEmpty() || prefix.length() > MAX_PREFIX || !Formats.matches(Formats.INTERFACE_NAME, prefix)) {
            throw new InvalidPolicyException("policy.interfacePrefix is '" + printable(prefix) + "': use 1 to " + MAX_PREFIX
                    + " characters of letters, digits and _=+.-, not starting with '.' or '-'");
        }
        if (ports.min() < 1 || ports.max() > 65535 || ports.min() > ports.max()) {
            throw new InvalidPolicyException("policy.listenPorts is " + ports.min() + "-" + ports.max()
                    + ": use 1 <= min <= max <= 65535");
        }
    }

    private static void cidrs(String field, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            try {
                Cidr.parse(values.get(i));
            } catch (InvalidCidrException e) {
                throw new InvalidPolicyException(field + "[" + i + "] is '" + printable(values.get(i))
                        + "', not an IPv4 or IPv6 CIDR such as 10.0.0.0/8");
            }
        }
    }

    private static String printable(String value) {
        String shown = value == null ? "" : value.replaceAll("\\p{Cntrl}", "?");
        return shown.length() > 64 ? shown.substring(0, 64) + "…" : shown;
    }
}
