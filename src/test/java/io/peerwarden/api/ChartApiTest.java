package io.peerwarden.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.peerwarden.ship.ChartRenderer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.peerwarden.ship.ChartRenderer.manifests;
import static io.peerwarden.ship.ChartRenderer.one;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed API as the chart installs it: off by default; on, a Deployment, a Service and a ServiceAccount that may only
 * review tokens and access and read the CRDs, and with {@code api.shareLinks} also get and delete Secrets.
 */
class ChartApiTest {

    @Test
    void offByDefault() {
        List<HasMetadata> objects = manifests("");
        assertThat(objects).noneMatch(o -> o.getMetadata().getName().equals("peerwarden-api"));
    }

    @Test
    void enabledItRunsAsItsOwnServiceAccountWithOnlyReviewAndReadRules() {
        List<HasMetadata> objects = manifests("api:\n  enabled: true\n");
        Deployment deployment = one(objects, Deployment.class, "peerwarden-api");
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo("peerwarden-api");
        assertThat(pod.getContainers().get(0).getArgs()).startsWith("api");
        assertThat(pod.getContainers().get(0).getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTP");
        assertThat(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        one(objects, ServiceAccount.class, "peerwarden-api");
        Service service = one(objects, Service.class, "peerwarden-api");
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(8443));
        assertThat(service.getSpec().getSelector()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        ClusterRole role = one(objects, ClusterRole.class, "peerwarden-api");
        assertThat(role.getRules()).as("the rules SeedApiRealApiIT runs the API with").isEqualTo(SeedApiFixture.API_RULES);
        ClusterRoleBinding binding = one(objects, ClusterRoleBinding.class, "peerwarden-api");
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getName()).isEqualTo("peerwarden-api");
            assertThat(s.getNamespace()).isEqualTo(ChartRenderer.NAMESPACE);
        });
        assertThat(objects).as("no other RBAC for the API").noneMatch(o -> o instanceof Role && o.getMetadata().getName().contains("api"));
    }

    @Test
    void shareLinksAreOffByDefaultAndOnlyWithThemMayTheApiGetAndDeleteSecrets() {
        PodSpec plain = one(manifests("api:\n  enabled: true\n"), Deployment.class, "peerwarden-api").getSpec().getTemplate().getSpec();
        assertThat(env(plain, "API_SHARE_LINKS")).isEqualTo("false");
        List<HasMetadata> objects = manifests("api:\n  enabled: true\n  shareLinks: true\n  shareTtl: 20m\n");
        PodSpec pod = one(objects, Deployment.class, "peerwarden-api").getSpec().getTemplate().getSpec();
        assertThat(env(pod, "API_SHARE_LINKS")).isEqualTo("true");
        assertThat(env(pod, "API_SHARE_TTL")).isEqualTo("20m");
        assertThat(one(objects, ClusterRole.class, "peerwarden-api").getRules())
                .as("the rules SeedApiShareLinksRealApiIT runs the API with").isEqualTo(SeedApiFixture.API_RULES_WITH_SHARE_LINKS);
        assertThat(objects).as("no other RBAC for the API").noneMatch(o -> o instanceof Role && o.getMetadata().getName().contains("api"));
    }

    private static String env(PodSpec pod, String name) {
        return pod.getContainers().get(0).getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow().getValue();
    }

    @Test
    void aTlsSecretServesHttps() {
        List<HasMetadata> objects = manifests("api:\n  enabled: true\n  tlsSecretName: api-tls\n");
        PodSpec pod = one(objects, Deployment.class, "peerwarden-api").getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers().get(0).getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("API_TLS_CERT");
            assertThat(e.getValue()).isEqualTo("/etc/peerwarden-api-tls/tls.crt");
        });
        assertThat(pod.getContainers().get(0).getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
        assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName()).isEqualTo("api-tls"));
    }
}
