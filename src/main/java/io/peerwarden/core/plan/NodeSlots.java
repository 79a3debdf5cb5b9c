package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.core.naming.InterfaceNames;
import io.peerwarden.core.policy.InstallPolicy;
import io.peerwarden.core.policy.PolicyChecks;
import io.peerwarden.core.validation.InstanceSpecValidator;
import io.peerwarden.core.validation.Problem;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Interface names and listen ports are unique per node, across namespaces: the instances of a node
 * take them in {@link Seniority} order, so the first holder keeps its name and port and a later
 * one is refused ({@code InterfaceNameTaken} / {@code ListenPortTaken}, naming the holder). An
 * instance without spec.listenPort keeps the port its status records while no senior holds it,
 * else gets the lowest port of the policy range no senior holds. Only instances that would be
 * accepted hold anything: a refused or invalid instance is never applied, so it takes nothing.
 */
final class NodeSlots {

    /** What one instance gets on its node: its name and port, or why not. */
    record Slot(String interfaceName, Integer listenPort, List<Problem> problems) {
    }

    private final InstanceSpecValidator validator;
    private final PolicyChecks policy;

    NodeSlots(InstanceSpecValidator validator, PolicyChecks policy) {
        this.validator = validator;
        this.policy = policy;
    }

    /** The interface name every instance would have, taken or not (shown in status). */
    String nameOf(VpnInstance instance) {
        return InterfaceNames.of(policy.policy().interfacePrefix(), instance.getMetadata().getNamespace(),
                instance.getMetadata().getName(), instance.getSpec());
    }

    /**
     * Decides {@code instance}'s slot on {@code nodeName} after every senior instance of that node
     * took its own (O(k log k) in the node's instances).
     *
     * @param others instances the operator knows; those on other nodes, deleted or {@code instance} itself are skipped
     */
    Slot decide(VpnInstance instance, String nodeName, Collection<VpnInstance> others) {
        List<VpnInstance> seniors = others.stream()
                .filter(o -> nodeName.equals(o.scheduledNode()) && o.getMetadata().getDeletionTimestamp() == null
                        && !Objects.equals(o.getMetadata().getUid(), instance.getMetadata().getUid())
                        && !Seniority.key(o).equals(Seniority.key(instance))
                        && Seniority.ORDER.compare(o, instance) < 0)
                .sorted(Seniority.ORDER).toList();
        Map<String, String> names = new HashMap<>();
        Map<Integer, String> ports = new HashMap<>();
        for (VpnInstance senior : seniors) {
            if (senior.getSpec() == null || !eligible(senior.getSpec())) {
                continue;
            }
            Slot slot = take(senior, nodeName, names, ports);
            if (slot.problems().isEmpty()) {
                names.put(slot.interfaceName(), Seniority.key(senior));
                ports.put(slot.listenPort(), Seniority.key(senior));
            }
        }
        return take(instance, nodeName, names, ports);
    }

    private boolean eligible(VpnInstanceSpec spec) {
        return validator.validate(spec).isEmpty() && policy.interfaceName(spec).isEmpty() && policy.listenPort(spec).isEmpty();
    }

    private Slot take(VpnInstance instance, String node, Map<String, String> names, Map<Integer, String> ports) {
        VpnInstanceSpec spec = instance.getSpec();
        List<Problem> problems = new ArrayList<>(2);
        String name = nameOf(instance);
        String nameHolder = names.get(name);
        if (nameHolder != null) {
            problems.add(new Problem(Reasons.INTERFACE_NAME_TAKEN, "spec.interfaceName", "Interface name " + name
                    + " is already held on this node by VpnInstance " + nameHolder + ", which was there first: "
                    + (spec.getInterfaceName() == null ? "rename the instance or set spec.interfaceName"
                    : "choose another spec.interfaceName") + " (it recovers by itself when the holder goes)."));
        }
        Integer port = spec.getListenPort();
        InstallPolicy.PortRange range = policy.policy().listenPorts();
        if (port != null) {
            String portHolder = ports.get(port);
            if (portHolder != null) {
                problems.add(new Problem(Reasons.LISTEN_PORT_TAKEN, "spec.listenPort", "Listen port " + port
                        + " is already held on this node by VpnInstance " + portHolder + ", which was there first: choose"
                        + " another spec.listenPort in " + range + ", or remove it to get a free one (it recovers by itself"
                        + " when the holder goes)."));
                port = null;
            }
        } else {
            Integer recorded = instance.getStatus() == null ? null : instance.getStatus().getListenPort();
            if (recorded != null && range.contains(recorded) && !ports.containsKey(recorded)) {
                port = recorded;
            } else {
                for (int p = range.min(); p <= range.max() && port == null; p++) {
                    if (!ports.containsKey(p)) {
                        port = p;
                    }
                }
                if (port == null) {
                    problems.add(new Problem(Reasons.LISTEN_PORT_TAKEN, "spec.listenPort", "Every listen port of the install"
                            + " policy's range " + range + " (policy.listenPorts) is held on node " + node
                            + " by other instances: delete one, or ask the cluster admin for a wider range."));
                }
            }
        }
        return new Slot(name, problems.isEmpty() ? port : null, List.copyOf(problems));
    }
}
