package io.peerwarden.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.core.plan.DesiredSecret;
import io.peerwarden.core.render.QrCodes;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every cache of the operator's keeps its objects without their managed fields (a node without its image list), and
 * the Secret cache keeps a config Secret without its PNG bytes, and the writer still decides right from that copy:
 * the same config with the PNG there is left alone, a missing or emptied PNG or another config is written again.
 */
class LeanItemStoreTest {

    private static final String CONFIG = "[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n";
    private static final String PNG = Base64.getEncoder().encodeToString(QrCodes.png(CONFIG));

    @Test
    void theCacheKeepsEverythingButThePngBytesAndLeavesTheWatchedSecretAlone() {
        Secret full = secret(Map.of(Labels.CONFIG, b64(CONFIG), Labels.CONFIG_QR, PNG, Labels.PUBLIC_KEY, b64("pub")));
        LeanItemStore<Secret> store = LeanItemStore.secrets();
        String key = store.getKey(full);
        assertThat(key).isEqualTo("team/alice-wireguard");

        store.put(key, full);

        Secret cached = store.get(key);
        assertThat(cached.getData()).containsOnly(Map.entry(Labels.CONFIG, b64(CONFIG)),
                Map.entry(Labels.CONFIG_QR, LeanItemStore.PRUNED), Map.entry(Labels.PUBLIC_KEY, b64("pub")));
        assertThat(cached.getMetadata()).isSameAs(full.getMetadata());
        assertThat(full.getData()).as("the informer's own object").containsEntry(Labels.CONFIG_QR, PNG);
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.values()).containsExactly(cached);
        assertThat(store.remove(key)).isSameAs(cached);
        assertThat(store.size()).isZero();
    }

    @Test
    void everyCacheLeavesOutTheManagedFieldsAndKeepsTheRest() {
        io.peerwarden.api.v1alpha1.VpnPeer peer = OperatorHarness.peer("alice", "vpn", "client");
        peer.getMetadata().setNamespace("team");
        peer.getMetadata().setManagedFields(java.util.List.of(managedBy("kubectl"), managedBy("peerwarden-operator")));
        peer.getMetadata().setResourceVersion("42");
        String spec = io.peerwarden.kube.Serialization.asTree(peer.getSpec()).toString();
        LeanItemStore<io.peerwarden.api.v1alpha1.VpnPeer> peers = LeanItemStore.of(io.peerwarden.api.v1alpha1.VpnPeer.class);
        peers.put(peers.getKey(peer), peer);

        io.peerwarden.api.v1alpha1.VpnPeer cached = peers.get("team/alice");
        assertThat(cached.getMetadata().getManagedFields()).isNull();
        assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("42");
        assertThat(io.peerwarden.kube.Serialization.asTree(cached.getSpec()).toString()).isEqualTo(spec);

        Secret full = secret(Map.of(Labels.CONFIG, b64(CONFIG), Labels.CONFIG_QR, PNG));
        full.getMetadata().setManagedFields(java.util.List.of(managedBy("peerwarden-operator")));
        LeanItemStore<Secret> secrets = LeanItemStore.secrets();
        secrets.put(secrets.getKey(full), full);
        assertThat(secrets.get("team/alice-wireguard").getMetadata().getManagedFields()).isNull();
        assertThat(secrets.get("team/alice-wireguard").getData()).containsEntry(Labels.CONFIG, b64(CONFIG));
        Secret keys = secret(Map.of(Labels.PRIVATE_KEY, b64("k")));
        keys.getMetadata().setManagedFields(java.util.List.of(managedBy("peerwarden-operator")));
        assertThat(LeanItemStore.lean(keys).getMetadata().getManagedFields()).as("a Secret without a PNG too").isNull();

        io.fabric8.kubernetes.api.model.Node node = new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName("n1")
                .withManagedFields(managedBy("kubelet")).endMetadata().withNewStatus()
                .addNewAddress().withType("InternalIP").withAddress("192.0.2.7").endAddress()
                .addNewImage().withNames("registry.example/big:1").withSizeBytes(1L << 30).endImage().endStatus().build();
        LeanItemStore<io.fabric8.kubernetes.api.model.Node> nodes = LeanItemStore.nodes();
        nodes.put(nodes.getKey(node), node);
        io.fabric8.kubernetes.api.model.Node cachedNode = nodes.get("n1");
        assertThat(cachedNode.getMetadata().getManagedFields()).isNull();
        assertThat(cachedNode.getStatus().getImages()).isNullOrEmpty();
        assertThat(cachedNode.getStatus().getAddresses()).as("the endpoint may come from the node's address").hasSize(1);
    }

    @Test
    void tenThousandCachedPeersReferToOneCopyOfTheirRepeatedText() {
        LeanItemStore<io.peerwarden.api.v1alpha1.VpnPeer> peers = LeanItemStore.of(io.peerwarden.api.v1alpha1.VpnPeer.class);
        io.peerwarden.api.v1alpha1.VpnPeer[] cached = new io.peerwarden.api.v1alpha1.VpnPeer[2];
        for (int i = 0; i < 2; i++) {
            // as the informer gets them: each deserialized on its own, equal text in distinct strings
            io.peerwarden.api.v1alpha1.VpnPeer peer = OperatorHarness.peer("p" + i, "vpn", "client");
            peer.getMetadata().setNamespace(new String("team"));
            peer.getMetadata().setLabels(new LinkedHashMap<>(Map.of(new String("app"), new String("vpn"))));
            peer.getStatus().setConditions(new java.util.ArrayList<>(java.util.List.of(new io.fabric8.kubernetes.api.model.ConditionBuilder()
                    .withType(new String("Ready")).withStatus(new String("True")).withReason(new String("Applied"))
                    .withMessage(new String("The agent applied it.")).build())));
            String key = peers.getKey(peer);
            peers.put(key, peer);
            cached[i] = peers.get(key);
        }
        assertThat(cached[0].getMetadata().getNamespace()).isSameAs(cached[1].getMetadata().getNamespace());
        assertThat(cached[0].getMetadata().getLabels().get("app")).isSameAs(cached[1].getMetadata().getLabels().get("app"));
        io.fabric8.kubernetes.api.model.Condition a = cached[0].getStatus().getConditions().get(0);
        io.fabric8.kubernetes.api.model.Condition b = cached[1].getStatus().getConditions().get(0);
        assertThat(a.getStatus()).isEqualTo("True").isSameAs(b.getStatus());
        assertThat(a.getReason()).isSameAs(b.getReason());
        assertThat(a.getMessage()).isSameAs(b.getMessage());
        assertThat(a.getAdditionalProperties()).isEmpty();
        assertThat(a).as("a condition is still equal to one as read").isEqualTo(new io.fabric8.kubernetes.api.model.ConditionBuilder()
                .withType("Ready").withStatus("True").withReason("Applied").withMessage("The agent applied it.").build());
    }

    @Test
    void onlyACacheOfOneInformerIsLean() {
        assertThat(LeanItemStore.oneInformer(java.util.Set.of("JOSDK_ALL_NAMESPACES"))).isTrue();
        assertThat(LeanItemStore.oneInformer(java.util.Set.of("team"))).isTrue();
        assertThat(LeanItemStore.oneInformer(java.util.Set.of("team-a", "team-b"))).isFalse();
    }

    private static io.fabric8.kubernetes.api.model.ManagedFieldsEntry managedBy(String manager) {
        return new io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder().withManager(manager).withOperation("Update")
                .withFieldsType("FieldsV1").withNewFieldsV1().addToAdditionalProperties("f:spec", Map.of("f:type", Map.of())).endFieldsV1()
                .build();
    }

    @Test
    void secretsWithoutAPngAreCachedAsTheyAre() {
        Secret keys = secret(Map.of(Labels.PRIVATE_KEY, b64("k")));
        Secret emptyPng = secret(Map.of(Labels.CONFIG, b64(CONFIG), Labels.CONFIG_QR, ""));
        assertThat(LeanItemStore.lean(keys)).isSameAs(keys);
        assertThat(LeanItemStore.lean(emptyPng)).isSameAs(emptyPng);
        Secret noData = new SecretBuilder().withNewMetadata().withName("x").withNamespace("team").endMetadata().build();
        noData.setData(null);
        assertThat(LeanItemStore.lean(noData)).isSameAs(noData);
    }

    @Test
    void theWriterLeavesASecretHoldingTheSameConfigAndAPngAloneWithoutDrawingIt() {
        DesiredSecret desired = desired(CONFIG);
        Map<String, String> cached = LeanItemStore.lean(secret(desired.dataToWrite())).getData();
        assertThat(cached).containsEntry(Labels.CONFIG_QR, LeanItemStore.PRUNED);

        assertThat(SecretWriter.holdsData(cached, desired)).isTrue();
        // what the API server returns to an operator whose cache was filled before this version: the whole PNG
        assertThat(SecretWriter.holdsData(desired.dataToWrite(), desired)).isTrue();
    }

    @Test
    void theWriterWritesAgainWhenThePngIsMissingOrEmptyOrTheConfigChanged() {
        DesiredSecret desired = desired(CONFIG);
        Map<String, String> withoutPng = new LinkedHashMap<>(desired.data());
        assertThat(SecretWriter.holdsData(withoutPng, desired)).as("PNG missing").isFalse();
        Map<String, String> emptyPng = new LinkedHashMap<>(desired.data());
        emptyPng.put(Labels.CONFIG_QR, "");
        assertThat(SecretWriter.holdsData(emptyPng, desired)).as("PNG empty").isFalse();

        Map<String, String> oldConfig = LeanItemStore.lean(secret(desired(CONFIG + "DNS = 10.0.0.53\n").dataToWrite())).getData();
        assertThat(SecretWriter.holdsData(oldConfig, desired)).as("another config").isFalse();

        Map<String, String> extra = new LinkedHashMap<>(LeanItemStore.lean(secret(desired.dataToWrite())).getData());
        extra.put(Labels.PRIVATE_KEY, b64("left over"));
        assertThat(SecretWriter.holdsData(extra, desired)).as("an entry the plan no longer wants").isFalse();
        assertThat(SecretWriter.holdsData(null, desired)).isFalse();
    }

    @Test
    void theWrittenDataCarriesTheFullPngOfTheConfig() throws Exception {
        DesiredSecret desired = desired(CONFIG);
        assertThat(desired.data()).doesNotContainKey(Labels.CONFIG_QR);
        Map<String, String> written = desired.dataToWrite();
        assertThat(written).containsEntry(Labels.CONFIG, b64(CONFIG));
        assertThat(io.peerwarden.testing.QrImages.decode(Base64.getDecoder().decode(written.get(Labels.CONFIG_QR)))).isEqualTo(CONFIG);
    }

    @Test
    void aDesiredSecretPrintsNoKeyMaterial() {
        DesiredSecret desired = desired(CONFIG);
        assertThat(desired.toString()).contains("alice-wireguard", Labels.CONFIG, Labels.CONFIG_QR)
                .doesNotContain("yAnz5TF", b64(CONFIG).substring(0, 12), b64("pub"));
    }

    private static DesiredSecret desired(String config) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(Labels.CONFIG, b64(config));
        data.put(Labels.PUBLIC_KEY, b64("pub"));
        return new DesiredSecret("team", "alice-wireguard", Map.of(), Map.of(), data, "alice", false,
                DesiredSecret.DrawnEntry.qrCodeOf(Labels.CONFIG_QR, config));
    }

    private static Secret secret(Map<String, String> data) {
        return new SecretBuilder().withNewMetadata().withName("alice-wireguard").withNamespace("team").endMetadata()
                .withData(new LinkedHashMap<>(data)).build();
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
