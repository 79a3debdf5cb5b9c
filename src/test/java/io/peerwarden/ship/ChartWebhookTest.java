package io.peerwarden.ship;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.peerwarden.ship.ChartRenderer.manifests;
import static io.peerwarden.ship.ChartRenderer.ofType;
import static io.peerwarden.ship.ChartRenderer.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admission webhook as the chart installs it: on by default, never blocking users unless asked to. */
class ChartWebhookTest {

    private static ValidatingWebhook webhook(List<HasMetadata> objects) {
        return one(objects, ValidatingWebhookConfiguration.class, "peerwarden-webhook").getWebhooks().get(0);
    }

    @Test
    void byDefaultTheOperatorServesAWebhookThatIgnoresItsOwnFailuresAndAnswersDryRuns() {
        List<HasMetadata> objects = manifests("");
        ValidatingWebhook webhook = webhook(objects);

        assertThat(webhook.getFailurePolicy()).isEqualTo("Ignore");
        assertThat(webhook.getSideEffects()).as("so kubectl apply --dry-run=server is answered").isEqualTo("None");
        assertThat(webhook.getClientConfig().getCaBundle()).as("the operator patches it in; helm upgrade keeps it").isNull();
        assertThat(webhook.getClientConfig().getService().getName()).isEqualTo("peerwarden-operator-webhook");
        assertThat(webhook.getClientConfig().getService().getPath()).isEqualTo("/validate-vpnpeer");
        assertThat(webhook.getRules()).singleElement().satisfies(r -> {
            assertThat(r.getResources()).containsExactly("vpnpeers");
            assertThat(r.getOperations()).containsExactly("CREATE", "UPDATE");
        });
        assertThat(webhook.getNamespaceSelector()).as("all namespaces are watched").isNull();
        ValidatingWebhook instances = one(objects, ValidatingWebhookConfiguration.class, "peerwarden-webhook").getWebhooks().get(1);
        assertThat(instances.getClientConfig().getService().getPath()).isEqualTo("/validate-vpninstance");
        assertThat(instances.getRules().get(0).getResources()).containsExactly("vpninstances");
        assertThat(instances.getFailurePolicy()).isEqualTo("Ignore");
        Service service = one(objects, Service.class, "peerwarden-operator-webhook");
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(443);
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("webhook");
        });
        var pod = one(objects, Deployment.class, "peerwarden-operator").getSpec().getTemplate().getSpec();
        assertThat(ChartTest.env(pod, "WEBHOOK_PORT")).isEqualTo("9443");
        assertThat(ChartTest.env(pod, "WEBHOOK_CONFIGURATION")).isEqualTo("peerwarden-webhook");
        assertThat(ChartTest.env(pod, "WEBHOOK_HOSTS")).contains("peerwarden-operator-webhook." + ChartRenderer.NAMESPACE + ".svc");
    }

    @Test
    void failurePolicyFailAndWatchedNamespacesAreHonoured() {
        ValidatingWebhook webhook = webhook(manifests("webhook:\n  failurePolicy: Fail\nwatchNamespaces: [team-a]\n"));

        assertThat(webhook.getFailurePolicy()).isEqualTo("Fail");
        assertThat(webhook.getNamespaceSelector().getMatchExpressions()).singleElement()
                .satisfies(e -> assertThat(e.getValues()).containsExactly("team-a"));
        assertThatThrownBy(() -> manifests("webhook:\n  failurePolicy: Sometimes\n")).hasMessageContaining("failurePolicy");
    }

    @Test
    void withCertManagerTheCertificateIsMountedAndTheCaInjected() {
        List<HasMetadata> objects = manifests("webhook:\n  certManager: true\n");

        assertThat(one(objects, ValidatingWebhookConfiguration.class, "peerwarden-webhook").getMetadata().getAnnotations())
                .containsEntry("cert-manager.io/inject-ca-from", ChartRenderer.NAMESPACE + "/peerwarden-webhook");
        assertThat(ofType(objects, GenericKubernetesResource.class)).extracting(HasMetadata::getKind)
                .containsExactlyInAnyOrder("Issuer", "Certificate");
        var pod = one(objects, Deployment.class, "peerwarden-operator").getSpec().getTemplate().getSpec();
        assertThat(ChartTest.env(pod, "WEBHOOK_CERT_DIR")).isEqualTo("/etc/peerwarden-webhook-tls");
        assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getSecret()).isNotNull()
                .satisfies(s -> assertThat(s.getSecretName()).isEqualTo("peerwarden-webhook-tls")));
    }

    @Test
    void disabledItLeavesNoTrace() {
        List<HasMetadata> objects = manifests("webhook:\n  enabled: false\n");

        assertThat(ofType(objects, ValidatingWebhookConfiguration.class)).isEmpty();
        assertThat(ChartRenderer.find(objects, Service.class, "peerwarden-operator-webhook")).isEmpty();
        var pod = one(objects, Deployment.class, "peerwarden-operator").getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers().get(0).getEnv()).noneMatch(e -> e.getName().startsWith("WEBHOOK_"));
    }
}
