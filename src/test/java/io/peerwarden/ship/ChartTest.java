package io.peerwarden.ship;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.peerwarden.ship.ChartRenderer.NAMESPACE;
import static io.peerwarden.ship.ChartRenderer.find;
import static io.peerwarden.ship.ChartRenderer.manifests;
import static io.peerwarden.ship.ChartRenderer.ofType;
import static io.peerwarden.ship.ChartRenderer.one;
import static org.assertj.core.api.Assertions.assertThat;

/** Renders the chart for every documented value combination and checks what a cluster admin relies on. */
class ChartTest {

    /** Every value combination the docs describe; each must render, parse and keep the invariants. */
    static Stream<Arguments> documentedValueCombinations() {
        return Stream.of(
                Arguments.of("defaults", ""),
                Arguments.of("namespaced RBAC for listed namespaces", """
                        watchNamespaces: [team-a, team-b]
                        """),
                Arguments.of("namespaced RBAC for the release namespace", """
                        rbac:
                          namespaced: true
                        """),
                Arguments.of("ServiceMonitor on", """
                        metrics:
                          serviceMonitor:
                            enabled: true
                            labels:
                              release: prometheus
                        """),
                Arguments.of("agent on tainted gateway nodes", """
                        agent:
                          nodeSelector:
                            node-role.kubernetes.io/gateway: "true"
                          tolerations:
                            - key: node-role.kubernetes.io/gateway
                              operator: Exists
                              effect: NoSchedule
                        """),
                Arguments.of("leader election off", """
                        operator:
                          leaderElection:
                            enabled: false
                        """),
                Arguments.of("three replicas", """
                        operator:
                          replicas: 3
                        """),
                Arguments.of("no agent", """
                        agent:
                          enabled: false
                        """),
                Arguments.of("existing service accounts, no aggregated roles", """
                        rbac:
                          aggregateToDefaultRoles: false
                        operator:
                          serviceAccount: {create: false, name: my-operator}
                        agent:
                          serviceAccount: {create: false, name: my-agent}
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedValueCombinations")
    void everyCombinationRendersObjectsThatKeepTheSecurityInvariants(String name, String values) {
        List<HasMetadata> objects = manifests(values);

        assertThat(objects).isNotEmpty();
        assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getName()).isNotBlank());
        assertOperatorIsRestricted(one(objects, Deployment.class, "peerwarden-operator"));
        find(objects, DaemonSet.class, "peerwarden-agent").ifPresent(ChartTest::assertAgentHasOnlyNetAdmin);
        assertNoWildcards(objects);
        assertBindingsPointAtRenderedRolesAndAccounts(objects, values.contains("create: false"));
    }

    @Test
    void lintPassesInStrictMode() {
        var result = ChartRenderer.lint();
        assertThat(result.isFailed()).as("lint: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void defaultsGrantClusterWideRulesAndWatchAllNamespaces() {
        List<HasMetadata> objects = manifests("");
        Deployment operator = one(objects, Deployment.class, "peerwarden-operator");

        assertThat(env(operator.getSpec().getTemplate().getSpec(), "WATCH_NAMESPACE")).isEmpty();
        assertThat(env(operator.getSpec().getTemplate().getSpec(), "LEADER_ELECTION")).isEqualTo("true");
        assertThat(operator.getSpec().getReplicas()).isEqualTo(1);
        assertThat(ofType(objects, Role.class)).extracting(r -> r.getMetadata().getName())
                .containsExactlyInAnyOrder("peerwarden-operator-leader-election", "peerwarden-operator-node-keys",
                        "peerwarden-agent-node-keys");
        assertThat(rules(one(objects, ClusterRole.class, "peerwarden-operator")))
                .contains("vpn.peerwarden.io/vpnpeers/status:patch", "/secrets:create,get,list,update,watch");
        assertThat(rules(one(objects, ClusterRole.class, "peerwarden-agent")))
                .containsExactlyInAnyOrder("vpn.peerwarden.io/vpninstances:get,list,watch", "vpn.peerwarden.io/vpnpeers:get,list,watch",
                        "vpn.peerwarden.io/vpninstances/status:patch", "vpn.peerwarden.io/vpnpeers/status:patch",
                        "events.k8s.io/events:create");
        assertThat(rules(one(objects, Role.class, "peerwarden-agent-node-keys"))).as("the agent's only Secret access")
                .containsExactly("/secrets:list,watch");
        assertThat(one(objects, Role.class, "peerwarden-agent-node-keys").getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(rules(one(objects, Role.class, "peerwarden-operator-node-keys")))
                .as("and the admission webhook's own Secret").containsExactly("/secrets:create,delete,list,update,watch", "/secrets:get");
        assertThat(rules(one(objects, ClusterRole.class, "peerwarden-operator-nodes"))).containsExactly("/nodes:list,watch",
                "/namespaces:list,watch", "admissionregistration.k8s.io/validatingwebhookconfigurations:get,patch");
        assertThat(rules(one(objects, Role.class, "peerwarden-operator-leader-election")))
                .containsExactly("coordination.k8s.io/leases:create,get,patch,update");
        assertThat(ofType(objects, GenericKubernetesResource.class)).as("no ServiceMonitor by default").isEmpty();
        Service service = one(objects, Service.class, "peerwarden-operator-metrics");
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getPort()).isEqualTo(8080);
        });
    }

    @Test
    void operatorServesProbesAndMetricsOnOneNamedPort() {
        Container operator = container(one(manifests(""), Deployment.class, "peerwarden-operator").getSpec().getTemplate().getSpec());

        assertThat(operator.getArgs()).containsExactly("operator");
        assertThat(operator.getPorts()).as("and the admission webhook's HTTPS port").hasSize(2).first().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(8080);
        });
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(operator.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(operator.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(operator.getResources().getLimits()).containsKey("memory");
        assertThat(operator.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("POD_NAMESPACE");
            assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        });
    }

    @Test
    void agentGetsItsNodeNameFromTheDownwardApiAndServesHealthOn8081() {
        PodSpec pod = one(manifests(""), DaemonSet.class, "peerwarden-agent").getSpec().getTemplate().getSpec();
        Container agent = container(pod);

        assertThat(agent.getArgs()).containsExactly("agent", "--key-dir=/run/peerwarden");
        assertThat(agent.getEnv()).filteredOn(e -> e.getName().equals("NODE_NAME")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName"));
        assertThat(agent.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8081));
        assertThat(agent.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(agent.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
        assertThat(pod.getTolerations()).isNullOrEmpty();
    }

    @Test
    void watchNamespacesGrantRolesPerNamespaceAndNoClusterWideAccessToSecrets() {
        List<HasMetadata> objects = manifests("watchNamespaces: [team-a, team-b]\n");

        for (String ns : List.of("team-a", "team-b")) {
            Role operator = ofType(objects, Role.class).stream()
                    .filter(r -> r.getMetadata().getName().equals("peerwarden-operator") && ns.equals(r.getMetadata().getNamespace()))
                    .findFirst().orElseThrow(() -> new AssertionError("no operator Role in " + ns));
            assertThat(rules(operator)).contains("/secrets:create,get,list,update,watch");
            assertThat(ofType(objects, Role.class)).anySatisfy(r -> {
                assertThat(r.getMetadata().getName()).isEqualTo("peerwarden-agent");
                assertThat(r.getMetadata().getNamespace()).isEqualTo(ns);
            });
            assertThat(ofType(objects, RoleBinding.class)).anySatisfy(b -> {
                assertThat(b.getMetadata().getNamespace()).isEqualTo(ns);
                assertThat(b.getSubjects()).singleElement().satisfies(s -> assertThat(s.getNamespace()).isEqualTo(NAMESPACE));
            });
        }
        assertThat(ofType(objects, ClusterRoleBinding.class)).extracting(b -> b.getMetadata().getName())
                .containsExactly("peerwarden-operator-nodes");
        assertThat(env(one(objects, Deployment.class, "peerwarden-operator").getSpec().getTemplate().getSpec(), "WATCH_NAMESPACE"))
                .isEqualTo("team-a,team-b");
        assertThat(env(one(objects, DaemonSet.class, "peerwarden-agent").getSpec().getTemplate().getSpec(), "WATCH_NAMESPACE"))
                .isEqualTo("team-a,team-b");
    }

    @Test
    void namespacedRbacWithoutListWatchesTheReleaseNamespace() {
        List<HasMetadata> objects = manifests("rbac:\n  namespaced: true\n");

        assertThat(env(one(objects, Deployment.class, "peerwarden-operator").getSpec().getTemplate().getSpec(), "WATCH_NAMESPACE"))
                .isEqualTo(NAMESPACE);
        assertThat(ofType(objects, Role.class)).extracting(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
                .containsExactlyInAnyOrder(NAMESPACE + "/peerwarden-operator", NAMESPACE + "/peerwarden-agent",
                        NAMESPACE + "/peerwarden-operator-leader-election", NAMESPACE + "/peerwarden-operator-node-keys",
                        NAMESPACE + "/peerwarden-agent-node-keys");
    }

    @Test
    void serviceMonitorScrapesTheMetricsPortWhenEnabled() {
        List<HasMetadata> objects = manifests("metrics:\n  serviceMonitor:\n    enabled: true\n    labels: {release: prom}\n");

        GenericKubernetesResource monitor = ofType(objects, GenericKubernetesResource.class).stream()
                .filter(o -> o.getKind().equals("ServiceMonitor")).findFirst().orElseThrow();
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prom");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> endpoints = (List<Map<String, Object>>) spec.get("endpoints");
        assertThat(endpoints).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("port", "http");
            assertThat(e).containsEntry("path", "/metrics");
        });
        Map<String, String> selector = one(objects, Service.class, "peerwarden-operator-metrics").getSpec().getSelector();
        assertThat(one(objects, Deployment.class, "peerwarden-operator").getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(selector);
    }

    @Test
    void agentNodeSelectorAndTolerationsComeFromValues() {
        PodSpec pod = one(manifests("""
                agent:
                  nodeSelector:
                    node-role.kubernetes.io/gateway: "true"
                  tolerations:
                    - key: node-role.kubernetes.io/gateway
                      operator: Exists
                      effect: NoSchedule
                """), DaemonSet.class, "peerwarden-agent").getSpec().getTemplate().getSpec();

        // Helm merges maps with the defaults: kubernetes.io/os stays unless set to null
        assertThat(pod.getNodeSelector()).containsEntry("node-role.kubernetes.io/gateway", "true");
        assertThat(pod.getTolerations()).extracting(Toleration::getKey, Toleration::getOperator, Toleration::getEffect)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("node-role.kubernetes.io/gateway", "Exists", "NoSchedule"));
    }

    @Test
    void leaderElectionOffDropsTheLeaseRoleAndTellsTheOperator() {
        List<HasMetadata> objects = manifests("operator:\n  leaderElection:\n    enabled: false\n");

        assertThat(env(one(objects, Deployment.class, "peerwarden-operator").getSpec().getTemplate().getSpec(), "LEADER_ELECTION"))
                .isEqualTo("false");
        assertThat(ofType(objects, Role.class)).noneMatch(r -> rules(r).stream().anyMatch(s -> s.contains("leases")));
        assertThat(objects).noneMatch(o -> o instanceof ClusterRole r && rules(r).stream().anyMatch(s -> s.contains("leases")));
    }

    @Test
    void agentDisabledRendersNoAgentObjects() {
        List<HasMetadata> objects = manifests("agent:\n  enabled: false\n");

        assertThat(objects).noneMatch(o -> o.getMetadata().getName().equals("peerwarden-agent"));
    }

    @Test
    void existingServiceAccountsAreBoundInsteadOfCreated() {
        List<HasMetadata> objects = manifests("""
                operator:
                  serviceAccount: {create: false, name: my-operator}
                agent:
                  serviceAccount: {create: false, name: my-agent}
                """);

        assertThat(ofType(objects, ServiceAccount.class)).isEmpty();
        assertThat(one(objects, ClusterRoleBinding.class, "peerwarden-operator").getSubjects())
                .extracting(Subject::getName).containsExactly("my-operator");
        assertThat(one(objects, DaemonSet.class, "peerwarden-agent").getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("my-agent");
    }

    @Test
    void aggregatedRolesLetNamespaceUsersViewAndEditVpnResources() {
        List<HasMetadata> objects = manifests("");

        ClusterRole view = one(objects, ClusterRole.class, "peerwarden-view");
        ClusterRole edit = one(objects, ClusterRole.class, "peerwarden-edit");
        assertThat(view.getMetadata().getLabels()).containsEntry("rbac.authorization.k8s.io/aggregate-to-view", "true");
        assertThat(edit.getMetadata().getLabels()).containsEntry("rbac.authorization.k8s.io/aggregate-to-edit", "true")
                .doesNotContainKey("rbac.authorization.k8s.io/aggregate-to-view");
        assertThat(rules(view)).contains("vpn.peerwarden.io/vpnpeers:get,list,watch", "vpn.peerwarden.io/vpninstances:get,list,watch");
        assertThat(rules(edit)).contains("vpn.peerwarden.io/vpnpeers:create,delete,deletecollection,patch,update")
                .as("a namespace editor only reads VpnInstances").doesNotContain("vpn.peerwarden.io/vpninstances:create,delete,deletecollection,patch,update");
        assertThat(manifests("rbac:\n  aggregateToDefaultRoles: false\n"))
                .noneMatch(o -> o.getMetadata().getName().equals("peerwarden-view") || o.getMetadata().getName().equals("peerwarden-edit"));
    }

    @Test
    void peerwardenAdminManagesInstancesAndIsNotPartOfAnyBuiltInRoleByDefault() {
        ClusterRole admin = one(manifests(""), ClusterRole.class, "peerwarden-admin");

        assertThat(rules(admin)).contains("vpn.peerwarden.io/vpninstances:create,delete,deletecollection,patch,update",
                "vpn.peerwarden.io/vpnpeers:create,delete,deletecollection,patch,update", "vpn.peerwarden.io/vpninstances:get,list,watch");
        assertThat(rules(admin)).noneMatch(r -> r.contains("/status:") && !r.endsWith(":get"));
        assertThat(admin.getMetadata().getLabels().keySet()).noneMatch(k -> k.startsWith("rbac.authorization.k8s.io/aggregate-to-"));

        ClusterRole aggregated = one(manifests("rbac:\n  aggregateAdminRoleToAdmin: true\n"), ClusterRole.class, "peerwarden-admin");
        assertThat(aggregated.getMetadata().getLabels()).containsEntry("rbac.authorization.k8s.io/aggregate-to-admin", "true")
                .doesNotContainKey("rbac.authorization.k8s.io/aggregate-to-edit");
    }

    // --- invariants -------------------------------------------------------------------------

    static void assertOperatorIsRestricted(Deployment deployment) {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container c = container(pod);
        assertThat(pod.getHostNetwork()).as("operator hostNetwork").isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isNotNull().isNotZero();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        var sc = c.getSecurityContext();
        assertThat(sc.getRunAsNonRoot()).isTrue();
        assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getPrivileged()).isNotEqualTo(Boolean.TRUE);
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(c.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(pod.getVolumes()).filteredOn(v -> v.getHostPath() != null).as("operator hostPath volumes").isEmpty();
    }

    static void assertAgentHasOnlyNetAdmin(DaemonSet daemonSet) {
        PodSpec pod = daemonSet.getSpec().getTemplate().getSpec();
        Container c = container(pod);
        assertThat(pod.getHostNetwork()).isTrue();
        assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
        var sc = c.getSecurityContext();
        assertThat(sc.getPrivileged()).isFalse();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
        assertThat(sc.getRunAsUser()).isZero();
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(sc.getCapabilities().getAdd()).containsExactly("NET_ADMIN");
        assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getVolumes()).filteredOn(v -> v.getHostPath() != null).singleElement().satisfies(v -> {
            assertThat(v.getHostPath().getPath()).isEqualTo("/dev/net/tun");
            assertThat(v.getHostPath().getType()).isEqualTo("CharDevice");
        });
        assertThat(c.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/dev/net/tun"));
        // key files go to --key-dir, which must be the mount of a memory-backed emptyDir (never a disk)
        String keyDir = c.getArgs().stream().filter(a -> a.startsWith("--key-dir=")).map(a -> a.substring("--key-dir=".length()))
                .findFirst().orElseThrow(() -> new AssertionError("agent args without --key-dir: " + c.getArgs()));
        String keysVolume = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(keyDir))
                .findFirst().orElseThrow(() -> new AssertionError("no mount at the key dir " + keyDir)).getName();
        assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals(keysVolume)).singleElement()
                .satisfies(v -> {
                    assertThat(v.getEmptyDir().getMedium()).isEqualTo("Memory");
                    // one wg set batch of preshared-key files, one 4 KiB tmpfs page each, must fit (docs/install.md)
                    assertThat(io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(v.getEmptyDir().getSizeLimit()).longValue())
                            .as("key volume sizeLimit").isGreaterThanOrEqualTo(io.peerwarden.agent.InterfaceDriver.DEFAULT_BATCH_SIZE * 4096L);
                });
    }

    static void assertNoWildcards(List<HasMetadata> objects) {
        List<PolicyRule> all = new ArrayList<>();
        ofType(objects, ClusterRole.class).forEach(r -> all.addAll(r.getRules()));
        ofType(objects, Role.class).forEach(r -> all.addAll(r.getRules()));
        assertThat(all).isNotEmpty().allSatisfy(rule -> {
            assertThat(rule.getVerbs()).isNotEmpty().doesNotContain("*");
            assertThat(rule.getResources()).isNotEmpty().noneMatch(r -> r.contains("*"));
            assertThat(rule.getApiGroups()).doesNotContain("*");
            assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
        });
        assertThat(ofType(objects, ClusterRole.class)).allSatisfy(r -> assertThat(r.getAggregationRule()).isNull());
    }

    static void assertBindingsPointAtRenderedRolesAndAccounts(List<HasMetadata> objects, boolean externalAccounts) {
        Set<String> accounts = ofType(objects, ServiceAccount.class).stream()
                .map(a -> a.getMetadata().getNamespace() + "/" + a.getMetadata().getName()).collect(Collectors.toSet());
        for (ClusterRoleBinding b : ofType(objects, ClusterRoleBinding.class)) {
            assertRoleRef(b.getRoleRef(), objects, null);
            assertSubjects(b.getSubjects(), accounts, externalAccounts);
        }
        for (RoleBinding b : ofType(objects, RoleBinding.class)) {
            assertRoleRef(b.getRoleRef(), objects, b.getMetadata().getNamespace());
            assertSubjects(b.getSubjects(), accounts, externalAccounts);
        }
    }

    private static void assertRoleRef(RoleRef ref, List<HasMetadata> objects, String namespace) {
        if (ref.getKind().equals("ClusterRole")) {
            assertThat(find(objects, ClusterRole.class, ref.getName())).as("ClusterRole %s", ref.getName()).isPresent();
        } else {
            assertThat(ofType(objects, Role.class)).as("Role %s/%s", namespace, ref.getName()).anyMatch(r ->
                    r.getMetadata().getName().equals(ref.getName()) && namespace.equals(r.getMetadata().getNamespace()));
        }
    }

    private static void assertSubjects(List<Subject> subjects, Set<String> accounts, boolean externalAccounts) {
        assertThat(subjects).isNotEmpty().allSatisfy(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
            if (!externalAccounts) {
                assertThat(accounts).contains(s.getNamespace() + "/" + s.getName());
            }
        });
    }

    // --- helpers ----------------------------------------------------------------------------

    static Container container(PodSpec pod) {
        assertThat(pod.getContainers()).hasSize(1);
        return pod.getContainers().get(0);
    }

    static String env(PodSpec pod, String name) {
        return container(pod).getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue)
                .findFirst().orElseThrow(() -> new AssertionError("no env " + name));
    }

    /** Rules as "group/resource:sorted,verbs" strings, one per resource. */
    static List<String> rules(HasMetadata role) {
        List<PolicyRule> rules = role instanceof ClusterRole c ? c.getRules() : ((Role) role).getRules();
        List<String> out = new ArrayList<>();
        for (PolicyRule rule : rules) {
            String verbs = rule.getVerbs().stream().sorted().collect(Collectors.joining(","));
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    out.add(group + "/" + resource + ":" + verbs);
                }
            }
        }
        return out;
    }
}
