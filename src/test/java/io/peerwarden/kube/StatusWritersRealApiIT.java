package io.peerwarden.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.peerwarden.api.v1alpha1.InstanceRef;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.api.v1alpha1.VpnPeerStatus;
import io.peerwarden.testing.RealCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link StatusUpdatesConflictTest} on a real API server: the operator and the node agent share a
 * peer's status, each writes its own fields as a JSON Patch on /status guarded by the resourceVersion
 * it read, and neither loses the other's update. The mock only imitates the guard; here the API
 * server's optimistic concurrency decides.
 */
class StatusWritersRealApiIT {

    private static RealCluster cluster;
    private static String namespace;
    private static KubernetesClient operator;
    private static KubernetesClient agent;
    private String name;

    @BeforeAll
    static void clients() {
        cluster = RealCluster.shared();
        namespace = cluster.createNamespace("status-writers");
        operator = cluster.withUserAgent("peerwarden-operator");
        agent = cluster.withUserAgent("peerwarden-agent");
    }

    @AfterAll
    static void close() {
        if (cluster != null) {
            operator.close();
            agent.close();
            cluster.admin().namespaces().withName(namespace).delete();
        }
    }

    @BeforeEach
    void peer() {
        name = "alice-" + Long.toHexString(System.nanoTime());
        VpnPeer peer = new VpnPeer();
        peer.getMetadata().setName(name);
        peer.getMetadata().setNamespace(namespace);
        VpnPeerSpec spec = new VpnPeerSpec();
        spec.setInstanceRef(new InstanceRef("office"));
        spec.setType("client");
        peer.setSpec(spec);
        cluster.admin().resource(peer).create();
    }

    private VpnPeer read() {
        return cluster.admin().resources(VpnPeer.class).inNamespace(namespace).withName(name).get();
    }

    @Test
    void theApiServerRefusesAStatusPatchGuardedByAStaleResourceVersion() {
        VpnPeer stale = read();
        StatusUpdates.update(agent, read(), VpnPeer.class, connected()).orElseThrow();

        VpnPeerStatus overwrite = new VpnPeerStatus();
        overwrite.setAllowedIPs(List.of("10.24.0.2/32"));
        assertThatThrownBy(() -> operator.resources(VpnPeer.class).resource(stale).subresource("status")
                .patch(new PatchContext.Builder().withPatchType(PatchType.JSON).build(),
                        StatusUpdates.guardedStatusPatch(stale.getMetadata().getResourceVersion(), overwrite)))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(read().getStatus().getConnected()).as("the agent's write is intact").isTrue();
    }

    @Test
    void aStaleCopyIsReReadOnConflictAndTheOtherWritersFieldsSurvive() {
        VpnPeer stale = read();
        VpnPeer byAgent = StatusUpdates.update(agent, read(), VpnPeer.class, connected()).orElseThrow();

        VpnPeer written = StatusUpdates.update(operator, stale, VpnPeer.class, status -> {
            status.setAllowedIPs(List.of("10.24.0.2/32"));
            return status;
        }).orElseThrow();

        assertThat(Long.parseLong(written.getMetadata().getResourceVersion()))
                .as("written after the agent's update, not over it")
                .isGreaterThan(Long.parseLong(byAgent.getMetadata().getResourceVersion()));
        assertThat(read().getStatus().getConnected()).isTrue();
        assertThat(read().getStatus().getAllowedIPs()).containsExactly("10.24.0.2/32");
    }

    @Test
    void aMutationThatChangesNothingWritesNothing() {
        VpnPeer written = StatusUpdates.update(operator, read(), VpnPeer.class, status -> {
            status.setAllowedIPs(List.of("10.24.0.2/32"));
            return status;
        }).orElseThrow();

        assertThat(StatusUpdates.update(operator, read(), VpnPeer.class, status -> {
            status.setAllowedIPs(List.of("10.24.0.2/32"));
            return status;
        })).isEmpty();
        assertThat(read().getMetadata().getResourceVersion()).isEqualTo(written.getMetadata().getResourceVersion());
    }

    @Test
    void concurrentOperatorAndAgentWritersLoseNothing() {
        TwoStatusWriters.writeConcurrently(operator, agent, this::read);

        VpnPeer last = read();
        TwoStatusWriters.assertNothingLost(last);
        assertThat(last.getMetadata().getManagedFields()).extracting(e -> e.getManager() + "/" + e.getSubresource())
                .as("both wrote, each to /status").contains("peerwarden-operator/status", "peerwarden-agent/status");
    }

    private static UnaryOperator<VpnPeerStatus> connected() {
        return status -> {
            status.setConnected(true);
            return status;
        };
    }
}
