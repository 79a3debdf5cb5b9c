package io.peerwarden.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.api.v1alpha1.InstanceRef;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.testing.MockCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two writers share a peer's status (operator: validity, address; agent: applied, traffic). Each
 * writes only its own fields under optimistic concurrency; neither may lose the other's update.
 */
class StatusUpdatesConflictTest {

    private MockCluster cluster;
    private KubernetesClient operator;
    private KubernetesClient agent;

    @BeforeEach
    void start() {
        cluster = new MockCluster();
        operator = cluster.client("operator");
        agent = cluster.client("agent");
        VpnPeer peer = new VpnPeer();
        peer.getMetadata().setName("alice");
        peer.getMetadata().setNamespace("default");
        VpnPeerSpec spec = new VpnPeerSpec();
        spec.setInstanceRef(new InstanceRef("office"));
        peer.setSpec(spec);
        cluster.admin().resource(peer).create();
    }

    @AfterEach
    void stop() {
        operator.close();
        agent.close();
        cluster.close();
    }

    private VpnPeer read() {
        return cluster.admin().resources(VpnPeer.class).inNamespace("default").withName("alice").get();
    }

    @Test
    void aStaleCopyIsReReadOnConflictAndTheOtherWritersFieldsSurvive() {
        VpnPeer stale = read();
        StatusUpdates.update(agent, read(), VpnPeer.class, status -> {
            status.setConnected(true);
            return status;
        }).orElseThrow();

        int mark = cluster.requests().size();
        VpnPeer written = StatusUpdates.update(operator, stale, VpnPeer.class, status -> {
            status.setAllowedIPs(List.of("10.24.0.2/32"));
            return status;
        }).orElseThrow();

        assertThat(written.getStatus().getConnected()).isTrue();
        assertThat(written.getStatus().getAllowedIPs()).containsExactly("10.24.0.2/32");
        assertThat(cluster.requests().since(mark)).extracting(c -> c.method())
                .as("patch refused as stale, GET, patch again").containsExactly("PATCH", "GET", "PATCH");
    }

    @Test
    void aMutationThatChangesNothingWritesNothing() {
        StatusUpdates.update(operator, read(), VpnPeer.class, status -> {
            status.setAllowedIPs(List.of("10.24.0.2/32"));
            return status;
        });
        int mark = cluster.requests().size();
        assertThat(StatusUpdates.update(operator, read(), VpnPeer.class, status -> {
            status.setAllowedIPs(List.of("10.24.0.2/32"));
            return status;
        })).isEmpty();
        assertThat(cluster.requests().since(mark)).extracting(c -> c.method()).containsOnly("GET");
    }

    @Test
    void concurrentOperatorAndAgentWritersLoseNothing() {
        TwoStatusWriters.writeConcurrently(operator, agent, this::read);
        TwoStatusWriters.assertNothingLost(read());
    }
}
