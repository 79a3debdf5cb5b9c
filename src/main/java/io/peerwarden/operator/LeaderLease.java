package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * The Lease {@value OperatorSettings#LEASE_NAME} that decides which operator replica reconciles.
 *
 * <p>Three things JOSDK's defaults get wrong for replicas, fixed here: a deliberate stop does not
 * end the JVM (JOSDK calls {@code System.exit} whenever leading stops: stopping a leading operator
 * killed the process, and called from the shutdown hook of a SIGTERM, Runtime.exit blocks
 * indefinitely, so the pod lingers until the kubelet's SIGKILL); a stopping leader hands the Lease back, so a standby takes over within a retry period
 * instead of waiting out the whole lease duration; and the identity is unique per process (JOSDK
 * takes {@code $HOSTNAME}, which two operators in one JVM or on one host network share, and both
 * would lead). Losing the Lease while running still exits: a process that kept reconciling
 * without it would write beside the new leader.
 */
final class LeaderLease {

    /** How long a Lease holds without renewal: the longest a standby waits for a leader that vanished. */
    static final Duration DURATION = Duration.ofSeconds(15);
    /** How long the leader keeps retrying a failed renewal before it gives up leading. */
    static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
    /** How often candidates try to take the Lease and the leader renews it. */
    static final Duration RETRY_PERIOD = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(LeaderLease.class);

    private final String namespace;
    private final String identity;
    private volatile boolean stopping;

    /** @param namespace the Lease's namespace; null: the client's */
    LeaderLease(String namespace, KubernetesClient client) {
        this.namespace = namespace != null ? namespace : client.getNamespace();
        this.identity = Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank()).orElse("peerwarden-operator")
                + "_" + UUID.randomUUID();
    }

    String identity() {
        return identity;
    }

    LeaderElectionConfiguration configuration() {
        return new LeaderElectionConfiguration(OperatorSettings.LEASE_NAME, namespace, DURATION, RENEW_DEADLINE, RETRY_PERIOD,
                identity, new LeaderCallbacks(
                () -> LOG.info("leading as {}: reconciling", identity),
                this::stoppedLeading,
                leader -> LOG.info("the leader is {}", leader)),
                false);
    }

    private void stoppedLeading() {
        if (stopping) {
            LOG.info("stopped leading as {}", identity);
            return;
        }
        LOG.error("lost the Lease {}/{} as {}: exiting, so that the restarted process waits as a standby",
                namespace, OperatorSettings.LEASE_NAME, identity);
        System.exit(1);
    }

    /** Called before the operator stops: the end of leading that follows is deliberate. */
    void stopping() {
        stopping = true;
    }

    /**
     * Hands the Lease back if this process still holds it (call once it no longer reconciles): the holder
     * is cleared, so a standby takes it at its next try. Best effort: the Lease expires anyway.
     */
    void release(KubernetesClient client) {
        try {
            Lease lease = client.leases().inNamespace(namespace).withName(OperatorSettings.LEASE_NAME).get();
            if (lease == null || lease.getSpec() == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
                return;
            }
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            lease.getSpec().setHolderIdentity("");
            lease.getSpec().setLeaseDurationSeconds(1);
            lease.getSpec().setAcquireTime(now);
            lease.getSpec().setRenewTime(now);
            // an update with the read resourceVersion: a 409 means someone else holds it by now
            client.leases().inNamespace(namespace).resource(lease).update();
            LOG.info("released the Lease {}/{}", namespace, OperatorSettings.LEASE_NAME);
        } catch (KubernetesClientException e) {
            LOG.warn("could not release the Lease {}/{} (it expires in {}): {}", namespace, OperatorSettings.LEASE_NAME,
                    DURATION, e.getMessage());
        }
    }
}
