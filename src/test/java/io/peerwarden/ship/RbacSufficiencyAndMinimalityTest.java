package io.peerwarden.ship;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.PresharedKeySpec;
import io.peerwarden.api.v1alpha1.SecretKeyRef;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.operator.OperatorHarness;
import io.peerwarden.operator.OperatorSettings;
import io.peerwarden.operator.webhook.AdmissionWebhook;
import io.peerwarden.operator.webhook.WebhookTls;
import io.peerwarden.testing.RecordingDispatcher;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static io.peerwarden.operator.OperatorHarness.NS;
import static io.peerwarden.operator.OperatorHarness.condition;
import static io.peerwarden.operator.OperatorHarness.instance;
import static io.peerwarden.operator.OperatorHarness.peer;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Records every request the operator sends while it runs through its whole repertoire (generated
 * and user keys, peers of every kind, collisions, orphans, edits, deletions, events, nodes) and
 * checks the chart's RBAC against it: each request is allowed for the operator's ServiceAccount,
 * and the chart grants nothing the operator never uses.
 */
class RbacSufficiencyAndMinimalityTest {

    /**
     * Granted but not observable against the CRUD mock, which cannot serve leader election (JOSDK's
     * permission check is rejected there): ChartRbacRealApiIT takes the Lease on a real API server.
     */
    private static final Set<String> OPERATOR_UNRECORDABLE = Set.of(
            "get coordination.k8s.io/leases @peerwarden", "create coordination.k8s.io/leases @peerwarden",
            "update coordination.k8s.io/leases @peerwarden", "patch coordination.k8s.io/leases @peerwarden",
            // the re-read after a 409 conflict on a status write: only when a conflict happens
            // (StatusUpdatesConflictTest forces one)
            "get vpn.peerwarden.io/vpninstances @*", "get vpn.peerwarden.io/vpnpeers @*");

    @Test
    void theOperatorsRecordedCallsAreExactlyWhatTheChartGrantsIt() {
        List<ChartRbac.Request> requests;
        // node keys go to the release namespace, as the chart deploys the operator
        // and the admission webhook with its own certificate, whose configuration the chart creates
        OperatorHarness started = new OperatorHarness();
        started.admin.admissionRegistration().v1().validatingWebhookConfigurations().resource(ChartRenderer.manifests(null).stream()
                .filter(io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration.class::isInstance)
                .map(io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration.class::cast)
                .findFirst().orElseThrow()).create();
        try (OperatorHarness harness = started.startOperator(OperatorSettings.forTests().withReleaseNamespace(ChartRenderer.NAMESPACE),
                new AdmissionWebhook.Settings(0, "127.0.0.1", new WebhookTls.Settings(ChartRenderer.NAMESPACE, "peerwarden-webhook-tls",
                        "peerwarden-webhook", List.of("localhost"), Duration.ofDays(90), Duration.ofSeconds(1), Duration.ofMinutes(1)),
                        null))) {
            exerciseOperator(harness);
            requests = harness.cluster.requests().calls().stream()
                    .filter(c -> OperatorHarness.OPERATOR_AGENT.equals(c.userAgent()))
                    .map(RecordedApiCalls::toRequest).flatMap(Optional::stream).toList();
        }

        ChartRbac rbac = ChartRbac.of((String) null);
        assertThat(requests).as("operator requests the chart does not allow")
                .allSatisfy(r -> assertThat(rbac.allows(ChartRbacTest.OPERATOR, r)).as(r.toString()).isTrue());
        // by request, so a Role of the release namespace (node keys) counts as used by requests there
        Set<String> neverUsed = new TreeSet<>(rbac.unusedBy(ChartRbacTest.OPERATOR, requests));
        neverUsed.removeAll(OPERATOR_UNRECORDABLE);
        assertThat(neverUsed).as("granted to the operator but never used").isEmpty();
    }

    private static void exerciseOperator(OperatorHarness harness) {
        String userKey = WireGuardKeys.generatePrivateKey();
        harness.admin.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("user-key").endMetadata()
                .addToData(Map.of("privateKey", Base64.getEncoder().encodeToString(userKey.getBytes(StandardCharsets.UTF_8))))
                .build()).create();
        harness.create(instance("office", "10.24.0.1/24"));
        VpnInstance byo = instance("byo", "10.25.0.1/24");
        byo.getSpec().setPrivateKeySecretRef(new SecretKeyRef("user-key", null));
        byo.getSpec().setNodeName(null);
        byo.getSpec().setNodeSelector(Map.of("kubernetes.io/hostname", "worker-2"));
        String byoUid = harness.create(byo).getMetadata().getUid();
        harness.create(peer("alice", "office", "client"));
        VpnPeer site = peer("branch", "office", "site");
        site.getSpec().setAllowedIPs(List.of("10.24.0.10/32"));
        site.getSpec().setSubnets(List.of("192.168.50.0/24"));
        harness.create(site);
        VpnPeer intruder = peer("intruder", "office", "client");
        intruder.getSpec().setAllowedIPs(List.of("10.24.0.10/32"));
        harness.create(intruder);
        harness.create(peer("orphan", "missing", "client"));
        harness.create(peer("bob", "byo", "client"));
        // a peer of another namespace naming office, which admits only its own namespace's peers
        VpnPeer guest = peer("guest", "office", "client");
        guest.getMetadata().setNamespace("team-b");
        guest.getSpec().setInstanceRef(new io.peerwarden.api.v1alpha1.InstanceRef("office", NS));
        harness.create(guest);

        harness.awaitPeer("alice", rendered());
        harness.awaitPeer("bob", rendered());
        harness.awaitPeer("intruder", condition("Valid", "False", "AllowedIPTaken"));
        harness.awaitPeer("orphan", condition("Valid", "False", "InstanceNotFound"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> condition("Valid", "False", "NotAllowed")
                .test(harness.admin.resources(VpnPeer.class).inNamespace("team-b").withName("guest").get()));
        harness.admin.resources(VpnPeer.class).inNamespace(NS).withName("alice").edit(p -> {
            p.getSpec().setMtu(1380);
            // and no preshared key any more: its node-keys entry changes, so its shard is updated
            p.getSpec().setPresharedKey(new PresharedKeySpec(PresharedKeySpec.NONE, null));
            return p;
        });
        harness.awaitPeer("alice", rendered().and(p -> p.getMetadata().getGeneration() > 1));
        harness.admin.resources(VpnPeer.class).inNamespace(NS).withName("branch").delete();
        harness.awaitPeer("intruder", rendered());
        // its published node keys are deleted with it
        harness.admin.resources(VpnInstance.class).inNamespace(NS).withName("byo").delete();
        harness.awaitPeer("bob", condition("Valid", "False", "InstanceNotFound"));
        await().atMost(Duration.ofSeconds(30)).until(() -> harness.admin.secrets()
                .inNamespace(ChartRenderer.NAMESPACE).withLabel(Labels.INSTANCE_UID, byoUid)
                .list().getItems().isEmpty());
    }


    @Test
    void recordedPathsMapToRbacRequests() {
        assertThat(RecordedApiCalls.toRequest(new RecordingDispatcher.Call("PUT",
                "/apis/vpn.peerwarden.io/v1alpha1/namespaces/default/vpnpeers/alice/status", "x")))
                .contains(new ChartRbac.Request("update", "vpn.peerwarden.io", "vpnpeers", "status", "default"));
        assertThat(RecordedApiCalls.toRequest(new RecordingDispatcher.Call("GET",
                "/api/v1/secrets?allowWatchBookmarks=true&resourceVersion=4&watch=true", "x")))
                .contains(new ChartRbac.Request("watch", "", "secrets", null, null));
        assertThat(RecordedApiCalls.toRequest(new RecordingDispatcher.Call("DELETE", "/api/v1/namespaces/peerwarden/secrets/x", "x")))
                .contains(new ChartRbac.Request("delete", "", "secrets", null, "peerwarden"));
        assertThat(RecordedApiCalls.toRequest(new RecordingDispatcher.Call("GET", "/api/v1/nodes?resourceVersion=0", "x")))
                .contains(new ChartRbac.Request("list", "", "nodes", null, null));
        assertThat(RecordedApiCalls.toRequest(new RecordingDispatcher.Call("GET", "/version", "x"))).isEmpty();
    }
}
