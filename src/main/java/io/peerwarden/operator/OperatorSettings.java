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
 * @param releaseNamespace the operator's own namespace, where it publishes each node's keys for the agents;
 *                         null: the lease namespace, else the client's namespace
 * @param policy         the cluster admin's install policy (nodes, interface prefix, ports, site subnets)
 */
public record OperatorSettings(Set<String> namespaces, boolean leaderElection, String leaseNamespace, int healthPort,
                               Duration resync, int threads, int writeConcurrency, String releaseNamespace,
                               InstallPolicy policy) {

    public static final String LEASE_NAME = "peerwarden-operator";

    public OperatorSettings {
        namespaces = namespaces == null ? Set.of() : Set.copyOf(namespaces);
        resync = resync == null ? Duration.ofMinutes(10) : resync;
        writeConcurrency = Math.max(1, writeConcurrency);
        releaseNamespace = releaseNamespace == null || releaseNamespace.isBlank() ? null : releaseNamespace;
        policy = policy == null ? InstallPolicy.defaults() : policy;
    }

    /** Publishing node keys in the lease namespace, else the client's; with the install policy's defaults. */
    public OperatorSettings(Set<String> namespaces, boolean leaderElection, String leaseNamespace, int healthPort,
                            Duration resync, int threads, int writeConcurrency) {
        this(namespaces, leaderElection, leaseNamespace, healthPort, resync, threads, writeConcurrency, null, InstallPolicy.defaults());
    }

    /** With the install policy's defaults. */
    public OperatorSettings(Set<String> namespaces, boolean leaderElection, String leaseNamespace, int healthPort,
                            Duration resync, int threads, int writeConcurrency, String releaseNamespace) {
        this(namespaces, leaderElection, leaseNamespace, healthPort, resync, threads, writeConcurrency, releaseNamespace,
                InstallPolicy.defaults());
    }

    /** Publishing node keys in the lease namespace, else the client's. */
    public OperatorSettings(Set<String> namespaces, boolean leaderElection, String leaseNamespace, int healthPort,
                            Duration resync, int threads, int writeConcurrency, InstallPolicy policy) {
        this(namespaces, leaderElection, leaseNamespace, healthPort, resync, threads, writeConcurrency, null, policy);
    }

    /** The namespace node keys are published in, for a client whose own namespace is {@code clientNamespace}. */
    public String releaseNamespaceOr(String clientNamespace) {
        if (releaseNamespace != null) {
            return releaseNamespace;
        }
        if (leaseNamespace != null) {
            return leaseNamespace;
        }
        return clientNamespace == null ? "default" : clientNamespace;
    }

    public OperatorSettings withReleaseNamespace(String namespace) {
        return new OperatorSettings(namespaces, leaderElection, leaseNamespace, healthPort, resync, threads, writeConcurrency, namespace,
                policy);
    }

    public OperatorSettings withResync(Duration interval) {
        return new OperatorSettings(namespaces, leaderElection, leaseNamespace, healthPort, interval, threads, writeConcurrency,
                releaseNamespace, policy);
    }

    public static OperatorSettings forTests() {
        return new OperatorSettings(Set.of(), false, null, -1, Duration.ofMinutes(10), 10, 8);
    }

    /** The same settings with another install policy. */
    public OperatorSettings withPolicy(InstallPolicy policy) {
        return new OperatorSettings(namespaces, leaderElection, leaseNamespace, healthPort, resync, threads, writeConcurrency,
                releaseNamespace, policy);
    }
}
