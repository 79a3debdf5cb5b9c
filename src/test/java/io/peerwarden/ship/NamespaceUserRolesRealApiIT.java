package io.peerwarden.ship;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.operator.OperatorHarness;
import io.peerwarden.testing.Kubectl;
import io.peerwarden.testing.RealCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a namespace user can do with Peerwarden's resources through each role docs/install.md
 * describes, on a real kube-apiserver with the chart's ClusterRoles (and their aggregation into the
 * built-in view, edit and admin roles, done by kube-controller-manager): one user per role, bound by
 * a RoleBinding in their own namespace, asked of the API server's own authorizer verb by verb, and
 * through the built kubectl as the user types it.
 */
class NamespaceUserRolesRealApiIT {

    private static final List<String> KINDS = List.of("vpninstances", "vpnpeers");
    private static final List<String> READ = List.of("get", "list", "watch");
    private static final List<String> WRITE = List.of("create", "update", "patch", "delete", "deletecollection");
    private static final String GROUP = "vpn.peerwarden.io";
    private static final String PEER = "alice";

    /** The roles of docs/install.md ("Who may do what") and what each lets a user do in the namespace it is bound in. */
    enum UserRole {
        PEERWARDEN_VIEW("peerwarden-view", false, false, false),
        PEERWARDEN_EDIT("peerwarden-edit", true, false, false),
        // VpnInstances are infrastructure: only this role (bound by a cluster admin) manages them
        PEERWARDEN_ADMIN("peerwarden-admin", true, true, false),
        VIEW("view", false, false, false),
        // Kubernetes' own edit and admin roles read every Secret of the namespace, peers' configs included
        EDIT("edit", true, false, true),
        ADMIN("admin", true, false, true);

        final String clusterRole;
        final boolean managesPeers;
        final boolean managesInstances;
        final boolean readsSecrets;

        UserRole(String clusterRole, boolean managesPeers, boolean managesInstances, boolean readsSecrets) {
            this.clusterRole = clusterRole;
            this.managesPeers = managesPeers;
            this.managesInstances = managesInstances;
            this.readsSecrets = readsSecrets;
        }

        String user() {
            return "user-" + clusterRole;
        }

        /** What the docs promise for one verb on one resource ("vpnpeers", "vpnpeers/status", "secrets") in the user's namespace. */
        boolean allows(String resource, String verb) {
            if (resource.equals("secrets")) {
                return readsSecrets && READ.contains(verb);
            }
            if (resource.endsWith("/status")) {
                return verb.equals("get"); // status is the operator's and the agent's to write
            }
            boolean manages = resource.equals("vpninstances") ? managesInstances : managesPeers;
            return READ.contains(verb) || manages && WRITE.contains(verb);
        }
    }

    private static RealCluster cluster;
    private static KubernetesClient admin;
    private static InstalledChartRbac chart;
    private static String team;
    private static String otherTeam;

    @BeforeAll
    static void bindOneUserPerRole() {
        cluster = RealCluster.shared();
        admin = cluster.admin();
        chart = InstalledChartRbac.install(cluster);
        team = cluster.createNamespace("team");
        otherTeam = cluster.createNamespace("other-team");
        for (UserRole role : UserRole.values()) {
            admin.rbac().roleBindings().inNamespace(team).resource(new RoleBindingBuilder()
                    .withNewMetadata().withName(role.user()).endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role.clusterRole)
                    .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(role.user()).endSubject()
                    .build()).create();
        }
        await("kube-controller-manager aggregates the chart's roles into view, edit and admin")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> aggregated("view", "get") && aggregated("edit", "create") && aggregated("admin", "create"));
        admin.resource(inTeam(OperatorHarness.instance("office", "10.24.0.1/24"))).create();
        admin.resource(inTeam(OperatorHarness.peer(PEER, "office", "client"))).create();
        // what the operator writes for the peer: its config, with the peer's private key in it
        admin.secrets().inNamespace(team).resource(new SecretBuilder().withNewMetadata().withName(PEER + "-wireguard")
                .withLabels(Map.of(Labels.COMPONENT, Labels.COMPONENT_PEER_CONFIG)).endMetadata()
                .addToStringData(Labels.CONFIG, "[Interface]\nPrivateKey = (a private key)\n").build()).create();
    }

    @AfterAll
    static void cleanUp() {
        if (admin != null) {
            cluster.deleteNamespace(team);
            cluster.deleteNamespace(otherTeam);
            chart.close();
        }
    }

    @ParameterizedTest
    @EnumSource(UserRole.class)
    void eachRoleGrantsExactlyWhatTheDocsSayInTheUsersNamespace(UserRole role) {
        List<String> resources = new ArrayList<>(KINDS);
        KINDS.forEach(kind -> resources.add(kind + "/status"));
        List<String> wrong = new ArrayList<>();
        for (String resource : resources) {
            for (String verb : concat(READ, WRITE)) {
                check(role, team, resource, verb, role.allows(resource, verb), wrong);
            }
        }
        for (String verb : READ) {
            check(role, team, "secrets", verb, role.allows("secrets", verb), wrong);
        }
        assertThat(wrong).as("what %s allows %s in its namespace, unlike docs/install.md", role.clusterRole, role.user()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(UserRole.class)
    void aRoleBindingGrantsNothingInAnotherNamespace(UserRole role) {
        List<String> wrong = new ArrayList<>();
        for (String kind : KINDS) {
            for (String verb : concat(READ, WRITE)) {
                check(role, otherTeam, kind, verb, false, wrong);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void peerwardenEditAloneLetsAUserApplyAndDeleteAPeerWithKubectl() {
        String user = UserRole.PEERWARDEN_EDIT.user();
        String manifest = """
                apiVersion: vpn.peerwarden.io/v1alpha1
                kind: VpnPeer
                metadata:
                  name: bob
                spec:
                  instanceRef:
                    name: office
                  type: client
                """;

        cluster.kubectlWithInput(manifest, "apply", "-n", team, "--as=" + user, "-f", "-").orFail();
        cluster.kubectlWithInput(manifest.replace("type: client", "type: client\n  mtu: 1380"),
                "apply", "-n", team, "--as=" + user, "-f", "-").orFail();
        assertThat(cluster.kubectl("get", "vpnpeer", "bob", "-n", team, "--as=" + user, "-o", "jsonpath={.spec.mtu}")
                .orFail().stdout()).isEqualTo("1380");
        cluster.kubectl("delete", "vpnpeer", "bob", "-n", team, "--as=" + user).orFail();
    }

    @Test
    void aNamespaceEditorCannotCreateAVpnInstance() {
        String manifest = """
                apiVersion: vpn.peerwarden.io/v1alpha1
                kind: VpnInstance
                metadata:
                  name: rogue
                spec:
                  address: ["10.99.0.1/24"]
                  nodeName: worker-1
                  interfaceName: cni0
                """;
        for (UserRole role : List.of(UserRole.EDIT, UserRole.ADMIN, UserRole.PEERWARDEN_EDIT)) {
            Kubectl.Result apply = cluster.kubectlWithInput(manifest, "apply", "-n", team, "--as=" + role.user(), "-f", "-");
            assertThat(apply.ok()).as("%s creates a VpnInstance", role.clusterRole).isFalse();
            assertThat(apply.stderr()).contains("Forbidden").contains("cannot create resource \"vpninstances\"");
            Kubectl.Result patch = cluster.kubectl("patch", "vpninstance", "office", "-n", team, "--as=" + role.user(),
                    "--type=merge", "-p", "{\"spec\":{\"listenPort\":51821}}");
            assertThat(patch.ok()).as("%s changes a VpnInstance", role.clusterRole).isFalse();
            assertThat(patch.stderr()).contains("Forbidden");
        }
        assertThat(admin.resources(VpnInstance.class).inNamespace(team).withName("rogue").get()).isNull();
    }

    @Test
    void aNamespaceEditorCanManageVpnPeersAndReadInstances() {
        for (UserRole role : List.of(UserRole.EDIT, UserRole.PEERWARDEN_EDIT)) {
            String user = "--as=" + role.user();
            String name = "peer-of-" + role.clusterRole;
            cluster.kubectlWithInput("""
                    apiVersion: vpn.peerwarden.io/v1alpha1
                    kind: VpnPeer
                    metadata:
                      name: %s
                    spec:
                      instanceRef:
                        name: office
                    """.formatted(name), "apply", "-n", team, user, "-f", "-").orFail();
            assertThat(cluster.kubectl("get", "vpninstance", "office", "-n", team, user, "-o", "jsonpath={.spec.address[0]}")
                    .orFail().stdout()).isEqualTo("10.24.0.1/24");
            assertThat(cluster.kubectl("get", "vpninstances", "-n", team, user, "-o", "name").orFail().stdout())
                    .contains("vpninstance.vpn.peerwarden.io/office");
            cluster.kubectl("delete", "vpnpeer", name, "-n", team, user).orFail();
        }
    }

    @Test
    void peerwardenAdminCanCreateInstances() {
        String user = "--as=" + UserRole.PEERWARDEN_ADMIN.user();
        cluster.kubectlWithInput("""
                apiVersion: vpn.peerwarden.io/v1alpha1
                kind: VpnInstance
                metadata:
                  name: branch-office
                spec:
                  address: ["10.98.0.1/24"]
                  nodeName: worker-1
                """, "apply", "-n", team, user, "-f", "-").orFail();
        cluster.kubectl("patch", "vpninstance", "branch-office", "-n", team, user, "--type=merge",
                "-p", "{\"spec\":{\"listenPort\":51821}}").orFail();
        assertThat(cluster.kubectl("get", "vpninstance", "branch-office", "-n", team, user, "-o", "jsonpath={.spec.listenPort}")
                .orFail().stdout()).isEqualTo("51821");
        cluster.kubectl("delete", "vpninstance", "branch-office", "-n", team, user).orFail();
        assertThat(allowed(UserRole.PEERWARDEN_ADMIN.user(), otherTeam, "vpninstances", "create"))
                .as("bound in one namespace, it grants nothing in another").isFalse();
    }

    @Test
    void viewersListPeersButCannotApplyOne() {
        for (UserRole role : Set.of(UserRole.PEERWARDEN_VIEW, UserRole.VIEW)) {
            assertThat(cluster.kubectl("get", "vpnpeers", "-n", team, "--as=" + role.user(), "-o", "name").orFail().stdout())
                    .contains("vpnpeer.vpn.peerwarden.io/" + PEER);
            Kubectl.Result apply = cluster.kubectlWithInput("""
                    apiVersion: vpn.peerwarden.io/v1alpha1
                    kind: VpnPeer
                    metadata:
                      name: mallory
                    spec:
                      instanceRef:
                        name: office
                      type: client
                    """, "apply", "-n", team, "--as=" + role.user(), "-f", "-");
            assertThat(apply.ok()).as(role.clusterRole).isFalse();
            assertThat(apply.stderr()).contains("Forbidden").contains("cannot create resource \"vpnpeers\"");
        }
    }

    @Test
    void onlyKubernetesOwnEditAndAdminRolesReadAPeersConfigSecret() {
        for (UserRole role : UserRole.values()) {
            Kubectl.Result get = cluster.kubectl("get", "secret", PEER + "-wireguard", "-n", team, "--as=" + role.user(), "-o", "name");
            assertThat(get.ok()).as("%s reads the peer's config Secret", role.clusterRole).isEqualTo(role.readsSecrets);
            if (!role.readsSecrets) {
                assertThat(get.stderr()).contains("Forbidden").contains("cannot get resource \"secrets\"");
            }
        }
    }

    @Test
    void noNamespaceUserCanForgeAPeersStatus() {
        for (UserRole role : UserRole.values()) {
            Kubectl.Result patch = cluster.kubectl("patch", "vpnpeer", PEER, "-n", team, "--as=" + role.user(),
                    "--subresource=status", "--type=merge", "-p", "{\"status\":{\"connected\":true}}");
            assertThat(patch.ok()).as(role.clusterRole).isFalse();
            assertThat(patch.stderr()).contains("Forbidden").contains("cannot patch resource \"vpnpeers/status\"");
        }
    }

    private static void check(UserRole role, String namespace, String resource, String verb, boolean expected, List<String> wrong) {
        boolean allowed = allowed(role.user(), namespace, resource, verb);
        if (allowed != expected) {
            wrong.add((allowed ? "allows " : "denies ") + verb + " " + resource + " in " + namespace);
        }
    }

    /** The API server's authorizer, asked as {@code kubectl auth can-i --as=user} asks it. */
    private static boolean allowed(String user, String namespace, String resource, String verb) {
        String[] parts = resource.split("/", 2);
        String group = parts[0].equals("secrets") ? "" : GROUP;
        SubjectAccessReview review = admin.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder()
                .withNewSpec().withUser(user).withGroups("system:authenticated")
                .withNewResourceAttributes().withNamespace(namespace).withGroup(group).withResource(parts[0])
                .withSubresource(parts.length > 1 ? parts[1] : null).withVerb(verb).endResourceAttributes()
                .endSpec().build());
        return review.getStatus().getAllowed();
    }

    /** Whether the built-in role has taken in the chart's rules (a view rule for view, an edit rule for edit and admin). */
    private static boolean aggregated(String builtIn, String verb) {
        ClusterRole role = admin.rbac().clusterRoles().withName(builtIn).get();
        return role != null && role.getRules().stream()
                .anyMatch(r -> r.getApiGroups().contains(GROUP) && r.getResources().contains("vpnpeers") && r.getVerbs().contains(verb));
    }

    private static <T extends HasMetadata> T inTeam(T resource) {
        resource.getMetadata().setNamespace(team);
        return resource;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
