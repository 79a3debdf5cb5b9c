package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.SecretKeyRef;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.plan.KeySource;
import io.peerwarden.operator.webhook.AdmissionServer;
import io.peerwarden.operator.webhook.AdmissionWebhook;
import io.peerwarden.operator.webhook.WebhookTls;
import io.peerwarden.testing.Kubectl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.peerwarden.operator.OperatorHarness.instance;
import static io.peerwarden.operator.OperatorHarness.peer;
import static io.peerwarden.operator.OperatorHarness.rendered;
import static io.peerwarden.operator.RealNamespace.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The validating admission webhook on a real API server, which calls the operator's HTTPS endpoint on localhost
 * ({@code clientConfig.url}) with the CA bundle the operator patched in itself: a colliding peer is refused at
 * {@code kubectl apply} (and {@code --dry-run=server}) naming its holder, a peer the reconciler accepts is created,
 * a stopped operator blocks nothing (failurePolicy Ignore), and the serving certificate rotates without a failed
 * request (failurePolicy Fail there, so a TLS failure would show).
 */
class AdmissionWebhookRealApiIT {

    private static final String SECRET = "peerwarden-webhook-tls";
    private RealNamespace ns;
    private String configuration;
    private PeerwardenOperator operator;

    @BeforeEach
    void namespace() {
        ns = RealNamespace.create("webhook");
        configuration = "peerwarden-webhook-" + ns.name;
    }

    @AfterEach
    void cleanUp() {
        if (ns == null) {
            return;
        }
        try {
            if (operator != null) {
                operator.close();
            }
            ns.admin.admissionRegistration().v1().validatingWebhookConfigurations().withName(configuration).delete();
        } finally {
            ns.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** As the chart's, but calling the operator on localhost and only for this test's namespace (the cluster is shared). */
    private void createConfiguration(int port, String failurePolicy) {
        ValidatingWebhookConfiguration config = new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata().withName(configuration).endMetadata()
                .addNewWebhook().withName("vpnpeers.vpn.peerwarden.io")
                .withNewClientConfig().withUrl("https://127.0.0.1:" + port + AdmissionServer.PEER_PATH).endClientConfig()
                .addNewRule().withApiGroups("vpn.peerwarden.io").withApiVersions("*").withResources("vpnpeers")
                .withOperations("CREATE", "UPDATE").withScope("Namespaced").endRule()
                .withNamespaceSelector(new LabelSelectorBuilder().addToMatchLabels("kubernetes.io/metadata.name", ns.name).build())
                .withFailurePolicy(failurePolicy).withSideEffects("None").withAdmissionReviewVersions("v1").withTimeoutSeconds(5)
                .endWebhook()
                .addNewWebhook().withName("vpninstances.vpn.peerwarden.io")
                .withNewClientConfig().withUrl("https://127.0.0.1:" + port + AdmissionServer.INSTANCE_PATH).endClientConfig()
                .addNewRule().withApiGroups("vpn.peerwarden.io").withApiVersions("*").withResources("vpninstances")
                .withOperations("CREATE", "UPDATE").withScope("Namespaced").endRule()
                .withNamespaceSelector(new LabelSelectorBuilder().addToMatchLabels("kubernetes.io/metadata.name", ns.name).build())
                .withFailurePolicy(failurePolicy).withSideEffects("None").withAdmissionReviewVersions("v1").withTimeoutSeconds(5)
                .endWebhook().build();
        ns.admin.admissionRegistration().v1().validatingWebhookConfigurations().resource(config).create();
    }

    private PeerwardenOperator startOperator(int port, Duration validity, Duration grace, Duration checkEvery) {
        KubernetesClient client = ns.cluster.withUserAgent("peerwarden-operator");
        AdmissionWebhook.Settings webhook = new AdmissionWebhook.Settings(port, "127.0.0.1", new WebhookTls.Settings(ns.name,
                SECRET, configuration, List.of("127.0.0.1", "localhost"), validity, grace, checkEvery), null);
        operator = PeerwardenOperator.start(client, ns.settings(false).withReleaseNamespace(ns.name), Clock.systemUTC(),
                KeySource.random(), webhook);
        return operator;
    }

    private static String peerYaml(String namespace, String name, String allowedIP) {
        return """
                apiVersion: vpn.peerwarden.io/v1alpha1
                kind: VpnPeer
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  instanceRef:
                    name: office
                  type: client
                  allowedIPs: ["%s"]
                """.formatted(name, namespace, allowedIP);
    }

    private VpnPeer peerWith(String name, String allowedIP) {
        VpnPeer peer = peer(name, "office", "client");
        peer.getSpec().setAllowedIPs(List.of(allowedIP));
        peer.getMetadata().setNamespace(ns.name);
        return peer;
    }

    /** A holder rendered by the reconciler, so the operator's caches hold it. */
    private void holderRendered() {
        ns.create(instance("office", "10.24.0.1/24"));
        ns.create(peerWith("holder", "10.24.0.10/32"));
        ns.awaitPeer("holder", rendered());
    }

    /** The webhook refuses a server-side dry run of a colliding peer: the API server trusts the operator's CA. */
    private String refusal(String name) {
        try {
            ns.admin.resource(peerWith(name, "10.24.0.10/32")).dryRun().create();
            return null;
        } catch (KubernetesClientException e) {
            return e.getMessage();
        }
    }

    @Test
    void aCollidingPeerIsRefusedAtKubectlApplyNamingTheHolderAndAFreeOneIsCreated() throws IOException {
        int port = freePort();
        createConfiguration(port, "Ignore");
        startOperator(port, Duration.ofDays(30), Duration.ofSeconds(1), Duration.ofMinutes(1));
        holderRendered();
        // the API server's copy of the configuration catches up with the patched CA bundle
        await().atMost(PATIENCE).until(() -> refusal("probe"), m -> m != null && m.contains("AllowedIPTaken"));

        Kubectl.Result applied = ns.cluster.kubectlWithInput(peerYaml(ns.name, "intruder", "10.24.0.10/32"), "apply", "-f", "-");
        assertThat(applied.ok()).as("refused: %s", applied).isFalse();
        assertThat(applied.stderr()).contains("denied the request").contains("AllowedIPTaken")
                .contains("Allowed IP already taken by another peer: 10.24.0.10/32 in spec.allowedIPs")
                .contains("held by VpnPeer " + ns.name + "/holder");
        Kubectl.Result dryRun = ns.cluster.kubectlWithInput(peerYaml(ns.name, "intruder", "10.24.0.10/32"), "apply",
                "--dry-run=server", "-f", "-");
        assertThat(dryRun.ok()).isFalse();
        assertThat(dryRun.stderr()).contains("AllowedIPTaken").contains("held by VpnPeer " + ns.name + "/holder");
        assertThat(ns.peer("intruder")).as("nothing was created").isNull();

        Kubectl.Result free = ns.cluster.kubectlWithInput(peerYaml(ns.name, "laptop", "10.24.0.11/32"), "apply", "-f", "-");
        assertThat(free.ok()).as("accepted: %s", free).isTrue();
        ns.awaitPeer("laptop", rendered());
        // an update of the holder itself is its own business: it keeps its address
        Kubectl.Result update = ns.cluster.kubectlWithInput(peerYaml(ns.name, "holder", "10.24.0.10/32"), "apply", "-f", "-");
        assertThat(update.ok()).as("accepted: %s", update).isTrue();
        assertThat(operator.webhook().orElseThrow().answered()).isGreaterThanOrEqualTo(4);

        // the user's own private key Secret, read by name, against a spec.publicKey that is not its public key
        ns.create(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("my-key").endMetadata()
                .addToStringData("privateKey", WireGuardKeys.generatePrivateKey()).build());
        VpnPeer mismatch = peerWith("mismatch", "10.24.0.12/32");
        mismatch.getSpec().setPrivateKeySecretRef(new SecretKeyRef("my-key", "privateKey"));
        mismatch.getSpec().setPublicKey(WireGuardKeys.publicKeyOf(WireGuardKeys.generatePrivateKey()));
        assertThatThrownBy(() -> ns.admin.resource(mismatch).create()).hasMessageContaining("KeyMismatch");
        assertThat(ns.peer("mismatch")).isNull();

        // an instance whose listen port a senior instance on the same node holds: refused naming it
        VpnInstance office = ns.awaitInstance("office", i -> i.getStatus() != null && i.getStatus().getListenPort() != null);
        VpnInstance second = instance("second", "10.30.0.1/24");
        second.getSpec().setListenPort(office.getStatus().getListenPort());
        assertThatThrownBy(() -> ns.create(second)).hasMessageContaining("ListenPortTaken").hasMessageContaining("office");
        assertThat(ns.instance("second")).isNull();
        VpnInstance third = instance("third", "10.31.0.1/24");
        ns.create(third);
        assertThat(ns.instance("third")).as("a free port and pool are accepted").isNotNull();
    }

    @Test
    void withTheOperatorStoppedACreateStillSucceeds() throws IOException {
        int port = freePort();
        createConfiguration(port, "Ignore");
        startOperator(port, Duration.ofDays(30), Duration.ofSeconds(1), Duration.ofMinutes(1));
        holderRendered();
        await().atMost(PATIENCE).until(() -> refusal("probe"), m -> m != null && m.contains("AllowedIPTaken"));

        operator.close();
        operator = null;

        Kubectl.Result applied = ns.cluster.kubectlWithInput(peerYaml(ns.name, "intruder", "10.24.0.10/32"), "apply", "-f", "-");
        assertThat(applied.ok()).as("failurePolicy Ignore: %s", applied).isTrue();
        assertThat(ns.peer("intruder")).isNotNull();
    }

    @Test
    void theCertificateRotatesWithoutAFailedRequest() throws IOException {
        int port = freePort();
        createConfiguration(port, "Fail");
        startOperator(port, Duration.ofSeconds(9), Duration.ofMillis(1500), Duration.ofMillis(250));
        holderRendered();
        await().atMost(PATIENCE).until(() -> refusal("probe"), m -> m != null && m.contains("AllowedIPTaken"));
        WebhookTls tls = operator.webhook().orElseThrow().tls().orElseThrow();
        Set<X509Certificate> served = new HashSet<>();
        List<String> unexpected = new ArrayList<>();
        int requests = 0;
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < until || served.size() < 3) {
            served.add(tls.serving());
            String answer = refusal("probe-" + requests);
            requests++;
            if (answer == null || !answer.contains("AllowedIPTaken")) {
                unexpected.add(String.valueOf(answer));
            }
            assertThat(System.nanoTime() - until).as("rotations seen: %s", served.size()).isLessThan(PATIENCE.toNanos());
        }

        assertThat(served).as("the certificate rotated at least twice").hasSizeGreaterThanOrEqualTo(3);
        assertThat(unexpected).as("every one of %s requests answered by the webhook", requests).isEmpty();
        assertThat(ns.secret(SECRET)).as("kept in the release namespace").isPresent();
        System.out.printf("webhook rotation: %d requests, %d certificates served, 0 failed%n", requests, served.size());
    }
}
