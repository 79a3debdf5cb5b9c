package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.SecretKeyRef;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.testing.CreationTimestamps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.peerwarden.operator.OperatorHarness.NS;
import static io.peerwarden.operator.OperatorHarness.condition;
import static io.peerwarden.operator.OperatorHarness.conditionOf;
import static io.peerwarden.operator.OperatorHarness.decoded;
import static io.peerwarden.operator.OperatorHarness.instance;
import static io.peerwarden.operator.OperatorHarness.peer;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The real operator against the CRUD mock API server: what a user sees with kubectl. */
class ControlPlaneIntegrationTest {

    private OperatorHarness harness;

    @BeforeEach
    void start() {
        harness = new OperatorHarness().startOperator();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void clientAndSitePeersAreValidAddressedAndRenderedAndWaitForTheAgent() {
        harness.create(instance("office", "10.24.0.1/24", "fd00:24::1/64"));
        VpnPeer client = peer("alice", "office", "client");
        harness.create(client);
        VpnPeer site = peer("branch", "office", "site");
        site.getSpec().setAllowedIPs(List.of("10.24.0.10/32"));
        site.getSpec().setSubnets(List.of("192.168.50.0/24"));
        harness.create(site);

        VpnPeer alice = harness.awaitPeer("alice", rendered());
        VpnPeer branch = harness.awaitPeer("branch", rendered());

        assertThat(alice.getStatus().getAllowedIPs()).containsExactly("10.24.0.2/32", "fd00:24::2/128");
        assertThat(branch.getStatus().getAllowedIPs()).containsExactly("10.24.0.10/32");
        assertThat(conditionOf(alice, ConditionTypes.APPLIED).getStatus()).isEqualTo(Conditions.UNKNOWN);
        assertThat(conditionOf(alice, ConditionTypes.APPLIED).getReason()).isEqualTo(Reasons.WAITING_FOR_AGENT);
        assertThat(conditionOf(alice, ConditionTypes.READY).getStatus()).isEqualTo(Conditions.UNKNOWN);

        Secret aliceSecret = harness.secret(alice.getStatus().getConfigSecretName()).orElseThrow();
        String config = decoded(aliceSecret, Labels.CONFIG);
        VpnInstance office = harness.awaitInstance("office", i -> i.getStatus() != null && i.getStatus().getPublicKey() != null);
        assertThat(config)
                .contains("Address = 10.24.0.2/32, fd00:24::2/128")
                .contains("PublicKey = " + office.getStatus().getPublicKey())
                .contains("Endpoint = vpn.example.com:51830")
                .contains("AllowedIPs = 10.24.0.0/24, fd00:24::/64");
        String privateKey = decoded(aliceSecret, Labels.PRIVATE_KEY);
        assertThat(WireGuardKeys.publicKeyOf(privateKey)).isEqualTo(alice.getStatus().getPublicKey());
        assertThat(config).contains("PrivateKey = " + privateKey).contains("PresharedKey = " + decoded(aliceSecret, Labels.PRESHARED_KEY));
        assertThat(aliceSecret.getMetadata().getLabels())
                .containsEntry(Labels.INSTANCE, "office").containsEntry(Labels.PEER, "alice");
        assertThat(aliceSecret.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(alice.getMetadata().getUid()));

        // the private key never leaves Secrets
        assertThat(harness.admin.resources(VpnPeer.class).inNamespace(NS).withName("alice").get().toString()).doesNotContain(privateKey);

        VpnInstance withCounts = harness.awaitInstance("office", i -> i.getStatus().getPeers() != null
                && i.getStatus().getPeers().getTotal() == 2);
        assertThat(withCounts.getStatus().getPool()).extracting(p -> p.getCidr() + " " + p.getAllocated() + "/" + p.getSize())
                .containsExactly("10.24.0.0/24 2/253", "fd00:24::/64 1/18446744073709551614");
        assertThat(Conditions.find(withCounts.getStatus().getConditions(), ConditionTypes.KEY_READY).orElseThrow().getStatus())
                .isEqualTo(Conditions.TRUE);
    }

    @Test
    void editingThePeerLikeTheSeedUpdateReRendersTheSecretAndFollowsTheGeneration() {
        harness.create(instance("office", "10.24.0.1/24"));
        VpnPeer site = peer("branch", "office", "site");
        site.getSpec().setSubnets(List.of("192.168.50.0/24"));
        harness.create(site);
        VpnPeer client = peer("alice", "office", "client");
        harness.create(client);
        harness.awaitPeer("branch", rendered());
        VpnPeer alice = harness.awaitPeer("alice", rendered());
        String keyBefore = alice.getStatus().getPublicKey();

        harness.admin.resources(VpnPeer.class).inNamespace(NS).withName("alice").edit(p -> {
            p.getSpec().setRouteAll(true);
            p.getSpec().setDns(List.of("1.1.1.1", "corp.example"));
            p.getSpec().setMtu(1380);
            p.getSpec().setPersistentKeepalive(15);
            return p;
        });
        VpnPeer edited = harness.awaitPeer("alice", rendered().and(p -> p.getMetadata().getGeneration() > 1));
        assertThat(edited.getStatus().getObservedGeneration()).isEqualTo(edited.getMetadata().getGeneration());
        assertThat(conditionOf(edited, ConditionTypes.VALID).getObservedGeneration()).isEqualTo(edited.getMetadata().getGeneration());
        String config = decoded(harness.secret("alice-wireguard").orElseThrow(), Labels.CONFIG);
        assertThat(config).contains("AllowedIPs = 0.0.0.0/0, ::/0").contains("DNS = 1.1.1.1, corp.example")
                .contains("MTU = 1380").contains("PersistentKeepalive = 15");
        assertThat(edited.getStatus().getPublicKey()).isEqualTo(keyBefore);

        harness.admin.resources(VpnPeer.class).inNamespace(NS).withName("branch").edit(p -> {
            p.getSpec().setSubnets(List.of("192.168.60.0/24", "192.168.61.0/24"));
            return p;
        });
        VpnPeer branch = harness.awaitPeer("branch", rendered().and(p -> p.getMetadata().getGeneration() > 1));
        assertThat(branch.getStatus().getObservedGeneration()).isEqualTo(branch.getMetadata().getGeneration());
    }

    @Test
    void collidingPeerLosesToEarlierHolderAndRecoversWhenTheHolderIsDeleted() {
        harness.create(instance("office", "10.24.0.1/24"));
        VpnPeer holder = peer("branch", "office", "site");
        holder.getSpec().setAllowedIPs(List.of("10.24.0.10/32"));
        harness.create(holder);
        // creationTimestamp has second precision: make the intruder clearly younger
        CreationTimestamps.awaitSecondAfter(harness.awaitPeer("branch", rendered()));
        VpnPeer intruder = peer("intruder", "office", "client");
        intruder.getSpec().setAllowedIPs(List.of("10.24.0.8/29"));
        harness.create(intruder);

        VpnPeer lost = harness.awaitPeer("intruder", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.ALLOWED_IP_TAKEN));
        assertThat(conditionOf(lost, ConditionTypes.VALID).getMessage())
                .contains("Allowed IP already taken by another peer").contains("default/branch").contains("10.24.0.10/32");
        assertThat(conditionOf(lost, ConditionTypes.READY).getStatus()).isEqualTo(Conditions.FALSE);
        assertThat(harness.secret("intruder-wireguard")).isEmpty();
        assertThat(harness.peer("branch")).matches(rendered());
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.admin.v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(e -> Reasons.ALLOWED_IP_TAKEN.equals(e.getReason()))
                || harness.admin.events().v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(e -> Reasons.ALLOWED_IP_TAKEN.equals(e.getReason())));

        harness.admin.resources(VpnPeer.class).inNamespace(NS).withName("branch").delete();

        VpnPeer recovered = harness.awaitPeer("intruder", rendered());
        assertThat(recovered.getStatus().getAllowedIPs()).containsExactly("10.24.0.8/29");
        assertThat(harness.secret("intruder-wireguard")).isPresent();
    }

    @Test
    void aSubnetRoutedByASiteOfAnotherInstanceOnTheSameNodeIsTakenAndFreedAcrossInstances() {
        harness.create(instance("east", "10.24.0.1/24"));
        harness.create(instance("west", "10.25.0.1/24"));
        VpnPeer hq = peer("hq", "east", "site");
        hq.getSpec().setSubnets(List.of("10.50.0.0/16"));
        harness.create(hq);
        CreationTimestamps.awaitSecondAfter(harness.awaitPeer("hq", rendered()));
        VpnPeer branch = peer("branch", "west", "site");
        branch.getSpec().setSubnets(List.of("10.50.1.0/24"));
        harness.create(branch);

        VpnPeer lost = harness.awaitPeer("branch", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.ALLOWED_IP_TAKEN));
        assertThat(conditionOf(lost, ConditionTypes.VALID).getMessage()).contains("default/hq").contains("VpnInstance east");

        // the holder lives in the other instance: its deletion must still free the subnet here
        harness.admin.resources(VpnPeer.class).inNamespace(NS).withName("hq").delete();
        harness.awaitPeer("branch", rendered());
    }

    @Test
    void restartingTheOperatorKeepsEveryKeyPresharedKeyAndAddress() {
        harness.create(instance("office", "10.24.0.1/24", "fd00:24::1/64"));
        for (String name : List.of("a", "b", "c")) {
            harness.create(peer(name, "office", "client"));
        }
        Map<String, String> before = snapshot(List.of("a", "b", "c"));
        String serverKey = harness.awaitInstance("office", i -> i.getStatus() != null && i.getStatus().getPublicKey() != null)
                .getStatus().getPublicKey();

        harness.stopOperator();
        // status lost too: the allocation must come back from what the operator owns (the Secret)
        for (String name : List.of("a", "b", "c")) {
            VpnPeer p = harness.peer(name);
            p.setStatus(null);
            harness.admin.resource(p).updateStatus();
        }
        harness.startOperator();

        assertThat(snapshot(List.of("a", "b", "c"))).isEqualTo(before);
        assertThat(harness.instance("office").getStatus().getPublicKey()).isEqualTo(serverKey);
    }

    private Map<String, String> snapshot(List<String> names) {
        return names.stream().collect(Collectors.toMap(n -> n, n -> {
            VpnPeer p = harness.awaitPeer(n, rendered());
            Secret s = harness.secret(p.getStatus().getConfigSecretName()).orElseThrow();
            return p.getStatus().getAllowedIPs() + " " + p.getStatus().getPublicKey() + " "
                    + s.getData().get(Labels.PRIVATE_KEY) + " " + s.getData().get(Labels.PRESHARED_KEY);
        }));
    }

    @Test
    void aUserProvidedKeySecretIsUsedButNeverModified() {
        String privateKey = WireGuardKeys.generatePrivateKey();
        Secret userSecret = harness.admin.secrets().inNamespace(NS).resource(new SecretBuilder()
                .withNewMetadata().withName("my-server-key").endMetadata()
                .addToData("key", Base64.getEncoder().encodeToString(privateKey.getBytes(StandardCharsets.UTF_8)))
                // the peer's own key pair: the instance's key is never a peer's (PublicKeyTaken)
                .addToData("bob", Base64.getEncoder().encodeToString(WireGuardKeys.generatePrivateKey().getBytes(StandardCharsets.UTF_8)))
                .build()).create();
        VpnInstance office = instance("office", "10.24.0.1/24");
        office.getSpec().setPrivateKeySecretRef(new SecretKeyRef("my-server-key", "key"));
        harness.create(office);
        VpnPeer bob = peer("bob", "office", "client");
        bob.getSpec().setPrivateKeySecretRef(new SecretKeyRef("my-server-key", "bob"));
        harness.create(bob);

        VpnInstance ready = harness.awaitInstance("office", i -> i.getStatus() != null && i.getStatus().getPublicKey() != null);
        assertThat(ready.getStatus().getPublicKey()).isEqualTo(WireGuardKeys.publicKeyOf(privateKey));
        harness.awaitPeer("bob", rendered());
        Secret after = harness.admin.secrets().inNamespace(NS).withName("my-server-key").get();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(userSecret.getMetadata().getResourceVersion());
        assertThat(after.getData()).isEqualTo(userSecret.getData());
        assertThat(harness.secret(Labels.instanceKeySecretName("office"))).isEmpty();
    }

    @Test
    void userMistakesSurfaceAsConditionsWithStableReasons() {
        harness.create(instance("office", "10.24.0.1/24"));
        Secret keySecret = harness.admin.secrets().inNamespace(NS).resource(new SecretBuilder()
                .withNewMetadata().withName("carol-key").endMetadata()
                .addToData(Labels.PRIVATE_KEY, Base64.getEncoder().encodeToString(
                        WireGuardKeys.generatePrivateKey().getBytes(StandardCharsets.UTF_8)))
                .build()).create();

        VpnPeer mismatch = peer("carol", "office", "client");
        mismatch.getSpec().setPrivateKeySecretRef(new SecretKeyRef(keySecret.getMetadata().getName(), null));
        mismatch.getSpec().setPublicKey(WireGuardKeys.publicKeyOf(WireGuardKeys.generatePrivateKey()));
        harness.create(mismatch);
        harness.create(peer("lost", "nowhere", "client"));
        VpnPeer openvpn = peer("legacy", "office", "client");
        openvpn.getSpec().setProtocol("openvpn");
        harness.create(openvpn);
        VpnPeer subnetsOnClient = peer("confused", "office", "client");
        subnetsOnClient.getSpec().setSubnets(List.of("192.168.7.0/24"));
        harness.create(subnetsOnClient);
        VpnPeer badDns = peer("dns", "office", "client");
        badDns.getSpec().setDns(List.of("not a dns server!"));
        harness.create(badDns);
        harness.create(peer("fine", "office", "client"));

        assertThat(conditionOf(harness.awaitPeer("carol", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.KEY_MISMATCH)),
                ConditionTypes.VALID).getMessage()).contains("Private key does not match with the public key");
        assertThat(conditionOf(harness.awaitPeer("lost", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.INSTANCE_NOT_FOUND)),
                ConditionTypes.VALID).getMessage()).contains("nowhere");
        harness.awaitPeer("legacy", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.UNSUPPORTED_PROTOCOL));
        assertThat(conditionOf(harness.awaitPeer("confused", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.FIELD_NOT_APPLICABLE)),
                ConditionTypes.VALID).getMessage()).contains("spec.subnets");
        harness.awaitPeer("dns", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.INVALID_DNS));
        // a bad peer never stops the others
        harness.awaitPeer("fine", rendered());
    }

    @Test
    void deletingAndRecreatingTheInstanceLosesNoPeerKeyOrAddress() {
        harness.create(instance("office", "10.24.0.1/24"));
        harness.create(peer("alice", "office", "client"));
        VpnPeer before = harness.awaitPeer("alice", rendered());
        Secret secretBefore = harness.secret("alice-wireguard").orElseThrow();

        harness.admin.resources(VpnInstance.class).inNamespace(NS).withName("office").delete();
        VpnPeer orphan = harness.awaitPeer("alice", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.INSTANCE_NOT_FOUND));
        assertThat(conditionOf(orphan, ConditionTypes.READY).getStatus()).isEqualTo(Conditions.FALSE);
        assertThat(harness.secret("alice-wireguard")).isPresent();

        harness.create(instance("office", "10.24.0.1/24"));
        VpnPeer after = harness.awaitPeer("alice", rendered());
        assertThat(after.getStatus().getAllowedIPs()).isEqualTo(before.getStatus().getAllowedIPs());
        assertThat(after.getStatus().getPublicKey()).isEqualTo(before.getStatus().getPublicKey());
        assertThat(harness.secret("alice-wireguard").orElseThrow().getData().get(Labels.PRESHARED_KEY))
                .isEqualTo(secretBefore.getData().get(Labels.PRESHARED_KEY));
    }

    @Test
    void anInstanceOnAMissingNodeSaysSoInItsReadyConditionAndAnEvent() {
        VpnInstance ghost = instance("ghost", "10.31.0.1/24");
        ghost.getSpec().setNodeName("no-such-node");
        harness.create(ghost);
        VpnInstance reported = harness.awaitInstance("ghost", i -> i.getStatus() != null
                && Conditions.find(i.getStatus().getConditions(), ConditionTypes.READY)
                .map(c -> Reasons.NODE_NOT_FOUND.equals(c.getReason())).orElse(false));
        assertThat(Conditions.find(reported.getStatus().getConditions(), ConditionTypes.READY).orElseThrow().getMessage())
                .contains("no-such-node");
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.admin.events().v1().events().inNamespace(NS).list().getItems()
                .stream().anyMatch(e -> Reasons.NODE_NOT_FOUND.equals(e.getReason()) && "ghost".equals(e.getRegarding().getName())));
    }

    @Test
    void theLostPeerRecoversWhenItsInstanceIsCreated() {
        harness.create(peer("early", "later", "client"));
        harness.awaitPeer("early", condition(ConditionTypes.VALID, Conditions.FALSE, Reasons.INSTANCE_NOT_FOUND));
        harness.create(instance("later", "10.30.0.1/24"));
        assertThat(harness.awaitPeer("early", rendered()).getStatus().getAllowedIPs()).containsExactly("10.30.0.2/32");
    }

    @Test
    void aResyncWithNothingChangedWritesNothing() {
        harness.create(instance("office", "10.24.0.1/24"));
        for (int i = 0; i < 5; i++) {
            harness.create(peer("p" + i, "office", "client"));
        }
        VpnPeer colliding = peer("dup", "office", "client");
        colliding.getSpec().setAllowedIPs(List.of("10.24.0.2/32"));
        harness.create(colliding);
        for (int i = 0; i < 5; i++) {
            harness.awaitPeer("p" + i, rendered());
        }
        harness.awaitInstance("office", i -> i.getStatus() != null && i.getStatus().getPeers() != null
                && i.getStatus().getPeers().getTotal() == 6);
        // settle: let the operator's own write events come back and find nothing to do
        harness.awaitQuiet(Duration.ofSeconds(2));

        int mark = harness.cluster.requests().size();
        harness.resyncInstancesOnWorker1();
        assertThat(harness.operatorWritesSince(mark)).as("writes of a reconcile with no input changed").isEmpty();
    }

    @Test
    void twoHundredPeersCreatedAtOnceGetTwoHundredDistinctAddresses() {
        harness.create(instance("office", "10.24.0.1/16"));
        IntStream.range(0, 200).parallel().forEach(i -> harness.create(peer("peer-" + i, "office", "client")));
        Set<String> addresses = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            VpnPeer p = harness.awaitPeer("peer-" + i, rendered());
            addresses.addAll(p.getStatus().getAllowedIPs());
        }
        assertThat(addresses).hasSize(200).doesNotContain("10.24.0.1/32", "10.24.0.0/32");
    }
}
