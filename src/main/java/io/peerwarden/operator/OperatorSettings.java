package io.peerwarden.operator;

import io.peerwarden.core.policy.InstallPolicy;

import java.time.Duration;
import java.util.Set;

/**
 * How the operator runs. Defaults are production defaults; the CRUD mock used in tests cannot
 * serve leader election, hence the switch.
 *
 * @param namespaces     namespaces to watch; empty: all
 * @param leaderElection take a Lease before reconciling, so only one replica writes
 * @param leaseNamespace namespace of the Lease (the operator's own); null: the client's namespace
 * @param resync         upper bound between two reconciles of an unchanged instance
 * @param threads        reconciles running in parallel (of different instances)
 * @param writeConcurrency peers of one instance whose Secret and status are written at the same time
 * @param policy         the cluster admin's install policy (nodes, interface prefix, ports, site subnets)
 */
public record OperatorSettings(Set<String> namespaces, boolean leaderElection, String leaseNamespace, int healthPort,
                               Duration resync, int threads, int writeConcurrency, InstallPolicy policy) {

    /** With the install policy's defaults. */
    public OperatorSettings(Set<String> namespaces, boolean leaderElection, String leaseNamespace, int healthPort,
                            Duration resync, int threads, int writeConcurrency) {
        this(namespaces, leaderElection, leaseNamespace, healthPort, resync, threads, writeConcurrency, InstallPolicy.defaults());
    }

    public static final String LEASE_NAME = "peerwarden-operator";

    public OperatorSettings {
        namespaces = namespaces == null ? Set.of() : Set.copyOf(namespaces);
        resync = resync == null ? Duration.ofMinutes(10) : resync;
        writeConcurrency = Math.max(1, writeConcurrency);
        policy = policy == null ? InstallPolicy.defaults() : policy;
    }

    public static OperatorSettings forTests() {
        return new OperatorSettings(Set.of(), false, null, -1, Duration.ofMinutes(10), 10, 8);
    }

    /** The same settings with another install policy. */
    public OperatorSettings withPolicy(InstallPolicy policy) {
        return new OperatorSettings(namespaces, leaderElection, leaseNamespace, healthPort, resync, threads, writeConcurrency, policy);
    }
}
