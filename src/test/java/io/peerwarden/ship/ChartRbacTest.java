package io.peerwarden.ship;

import io.peerwarden.ship.ChartRbac.Request;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The decided RBAC of the operator and the agent, checked request by request. */
class ChartRbacTest {

    static final String OPERATOR = "peerwarden-operator";
    static final String AGENT = "peerwarden-agent";

    @Test
    void operatorMayDoItsJobClusterWideByDefault() {
        ChartRbac rbac = ChartRbac.of("");

        assertThat(rbac.allows(OPERATOR, new Request("watch", "vpn.peerwarden.io", "vpnpeers", null, null))).isTrue();
        assertThat(rbac.allows(OPERATOR, new Request("patch", "vpn.peerwarden.io", "vpnpeers", "status", "team-a"))).isTrue();
        assertThat(rbac.allows(OPERATOR, new Request("create", "", "secrets", null, "team-a"))).isTrue();
        assertThat(rbac.allows(OPERATOR, new Request("create", "events.k8s.io", "events", null, "team-a"))).isTrue();
        assertThat(rbac.allows(OPERATOR, new Request("list", "", "nodes", null, null))).isTrue();
        assertThat(rbac.allows(OPERATOR, new Request("watch", "", "namespaces", null, null)))
                .as("namespace labels for spec.peerNamespaces selectors").isTrue();
        assertThat(rbac.allows(OPERATOR, new Request("update", "coordination.k8s.io", "leases", null, ChartRenderer.NAMESPACE))).isTrue();
        assertThat(rbac.allows(OPERATOR, new Request("patch", "coordination.k8s.io", "leases", null, ChartRenderer.NAMESPACE)))
                .as("fabric8's LeaseLock renews by patch").isTrue();
    }

    @Test
    void operatorMayNotWriteSpecsNorLeasesElsewhere() {
        ChartRbac rbac = ChartRbac.of("");

        assertThat(rbac.allows(OPERATOR, new Request("update", "vpn.peerwarden.io", "vpnpeers", null, "team-a"))).isFalse();
        assertThat(rbac.allows(OPERATOR, new Request("patch", "vpn.peerwarden.io", "vpninstances", null, "team-a"))).isFalse();
        assertThat(rbac.allows(OPERATOR, new Request("update", "coordination.k8s.io", "leases", null, "kube-system"))).isFalse();
        assertThat(rbac.allows(OPERATOR, new Request("delete", "", "nodes", null, null))).isFalse();
        assertThat(rbac.allows(OPERATOR, new Request("update", "", "namespaces", null, null))).isFalse();
    }

    @Test
    void agentReadsOnlyTheNodeKeysInTheReleaseNamespaceAndNoOtherSecret() {
        ChartRbac rbac = ChartRbac.of("");

        assertThat(rbac.allows(AGENT, new Request("get", "", "secrets", null, "team-a"))).as("a peer's config Secret").isFalse();
        assertThat(rbac.allows(AGENT, new Request("list", "", "secrets", null, null))).as("Secrets cluster-wide").isFalse();
        assertThat(rbac.allows(AGENT, new Request("watch", "", "secrets", null, "team-a"))).isFalse();
        assertThat(rbac.allows(AGENT, new Request("list", "", "secrets", null, ChartRenderer.NAMESPACE))).isTrue();
        assertThat(rbac.allows(AGENT, new Request("watch", "", "secrets", null, ChartRenderer.NAMESPACE))).isTrue();
        assertThat(rbac.allows(AGENT, new Request("create", "", "secrets", null, ChartRenderer.NAMESPACE))).isFalse();
        assertThat(rbac.allows(AGENT, new Request("patch", "vpn.peerwarden.io", "vpnpeers", "status", "team-a"))).isTrue();
        assertThat(rbac.allows(AGENT, new Request("list", "", "nodes", null, null))).isFalse();
        assertThat(rbac.permissions(AGENT)).hasSize(3 * 2 + 2 + 1 + 2);
    }

    @Test
    void operatorDeletesSecretsOnlyInTheReleaseNamespaceWhereItPublishesNodeKeys() {
        ChartRbac rbac = ChartRbac.of("");

        assertThat(rbac.allows(OPERATOR, new Request("delete", "", "secrets", null, ChartRenderer.NAMESPACE))).isTrue();
        assertThat(rbac.allows(OPERATOR, new Request("delete", "", "secrets", null, "team-a"))).isFalse();
        assertThat(rbac.allows(OPERATOR, new Request("get", "", "secrets", null, "team-a"))).as("a Secret a user references").isTrue();
        assertThat(rbac.allows(OPERATOR, new Request("patch", "", "secrets", null, "team-a"))).isFalse();
    }

    @Test
    void namespacedRbacAllowsOnlyTheWatchedNamespaces() {
        ChartRbac rbac = ChartRbac.of("watchNamespaces: [team-a]\n");

        assertThat(rbac.allows(OPERATOR, new Request("list", "", "secrets", null, "team-a"))).isTrue();
        assertThat(rbac.allows(OPERATOR, new Request("list", "", "secrets", null, "team-b"))).isFalse();
        assertThat(rbac.allows(OPERATOR, new Request("list", "vpn.peerwarden.io", "vpnpeers", null, null)))
                .as("no list across all namespaces").isFalse();
        assertThat(rbac.allows(OPERATOR, new Request("watch", "", "nodes", null, null))).as("nodes stay cluster-wide").isTrue();
        assertThat(rbac.allows(OPERATOR, new Request("list", "", "namespaces", null, null))).as("namespaces stay cluster-wide").isTrue();
        assertThat(rbac.allows(AGENT, new Request("watch", "vpn.peerwarden.io", "vpninstances", null, "team-a"))).isTrue();
        assertThat(rbac.allows(AGENT, new Request("list", "", "secrets", null, "team-a"))).isFalse();
        assertThat(rbac.allows(AGENT, new Request("list", "", "secrets", null, ChartRenderer.NAMESPACE))).isTrue();
        assertThat(rbac.allows(OPERATOR, new Request("create", "", "secrets", null, ChartRenderer.NAMESPACE)))
                .as("node keys, although the release namespace is not watched").isTrue();
    }

    @Test
    void theWebhooksOwnCertificateNeedsOnlyItsSecretInTheReleaseNamespaceAndItsConfiguration() {
        ChartRbac rbac = ChartRbac.of("");

        assertThat(rbac.allows(OPERATOR, new Request("get", "", "secrets", null, ChartRenderer.NAMESPACE))).isTrue();
        assertThat(rbac.allows(OPERATOR, new Request("patch", "admissionregistration.k8s.io", "validatingwebhookconfigurations",
                null, null))).isTrue();
        assertThat(rbac.allows(OPERATOR, new Request("create", "admissionregistration.k8s.io", "validatingwebhookconfigurations",
                null, null))).isFalse();
        assertThat(rbac.allows(OPERATOR, new Request("delete", "admissionregistration.k8s.io", "validatingwebhookconfigurations",
                null, null))).isFalse();
        // each by name: ChartRbac does not model resourceNames, so the rendered rules say it
        String rendered = ChartRenderer.render();
        assertThat(rendered).contains("resourceNames: [\"peerwarden-webhook-tls\"]").contains("resourceNames: [\"peerwarden-webhook\"]");

        ChartRbac withCertManager = ChartRbac.of("webhook:\n  certManager: true\n");
        assertThat(withCertManager.allows(OPERATOR, new Request("patch", "admissionregistration.k8s.io",
                "validatingwebhookconfigurations", null, null))).as("cert-manager injects the CA").isFalse();
        ChartRbac without = ChartRbac.of("webhook:\n  enabled: false\n");
        assertThat(without.allows(OPERATOR, new Request("get", "admissionregistration.k8s.io",
                "validatingwebhookconfigurations", null, null))).isFalse();
        assertThat(ChartRenderer.render("webhook:\n  enabled: false\n")).doesNotContain("ValidatingWebhookConfiguration");
    }
}
