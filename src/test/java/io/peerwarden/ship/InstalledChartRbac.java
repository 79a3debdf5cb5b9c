package io.peerwarden.ship;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.testing.RealCluster;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The chart's identities and RBAC (ServiceAccounts, ClusterRoles, Roles and their bindings) rendered
 * with helm-java and applied to a real cluster as {@code helm install} would, without the workloads:
 * the tests run the operator and the agent in-process, as those ServiceAccounts. Closing removes
 * what was applied.
 */
public final class InstalledChartRbac implements AutoCloseable {

    private static final Set<Class<? extends HasMetadata>> IDENTITY_AND_RBAC = Set.of(
            ServiceAccount.class, ClusterRole.class, Role.class, ClusterRoleBinding.class, RoleBinding.class);

    private final KubernetesClient admin;
    private final List<HasMetadata> rendered;
    private final List<HasMetadata> applied;

    private InstalledChartRbac(KubernetesClient admin, List<HasMetadata> rendered, List<HasMetadata> applied) {
        this.admin = admin;
        this.rendered = rendered;
        this.applied = applied;
    }

    /** Renders the chart with its default values and applies its identities and RBAC. */
    public static InstalledChartRbac install(RealCluster cluster) {
        return install(cluster, null);
    }

    /** Renders the chart with extra values (YAML; null: defaults) and applies its identities and RBAC. */
    public static InstalledChartRbac install(RealCluster cluster, String valuesYaml) {
        KubernetesClient admin = cluster.admin();
        List<HasMetadata> rendered = ChartRenderer.manifests(valuesYaml);
        if (admin.namespaces().withName(ChartRenderer.NAMESPACE).get() == null) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ChartRenderer.NAMESPACE)
                    .endMetadata().build()).create();
        }
        List<HasMetadata> applied = rendered.stream()
                .filter(o -> IDENTITY_AND_RBAC.stream().anyMatch(kind -> kind.isInstance(o)))
                .toList();
        // server-side apply, forced: the same objects applied by an earlier test class of this JVM are taken over
        applied.forEach(o -> admin.resource(o).forceConflicts().serverSideApply());
        return new InstalledChartRbac(admin, rendered, applied);
    }

    public Deployment operatorDeployment() {
        return ChartRenderer.one(rendered, Deployment.class, ChartRbacTest.OPERATOR);
    }

    public DaemonSet agentDaemonSet() {
        return ChartRenderer.one(rendered, DaemonSet.class, ChartRbacTest.AGENT);
    }

    /** The literal value of an environment variable of the pod's first container, empty when absent or set from a reference. */
    public static Optional<String> env(PodSpec pod, String name) {
        return pod.getContainers().get(0).getEnv().stream()
                .filter(e -> name.equals(e.getName()))
                .map(EnvVar::getValue)
                .filter(Objects::nonNull)
                .findFirst();
    }

    @Override
    public void close() {
        applied.forEach(o -> admin.resource(o).delete());
    }
}
