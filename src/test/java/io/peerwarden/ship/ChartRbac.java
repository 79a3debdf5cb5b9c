package io.peerwarden.ship;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the chart's RBAC grants each ServiceAccount, evaluated the way the API server's RBAC authorizer
 * does (without wildcards, which the chart never uses). For the RBAC sufficiency and minimality tests:
 * record the API calls of the operator and the agent, then ask {@link #allows} for each and compare
 * {@link #permissions} with what was used.
 */
public final class ChartRbac {

    /** One rule granted to a ServiceAccount; {@code namespace} null means cluster-wide. */
    public record Grant(String serviceAccount, String namespace, PolicyRule rule) {
    }

    /**
     * One API request: {@code group} "" for core, {@code subresource} null or e.g. "status",
     * {@code namespace} null for cluster-scoped resources and for requests across all namespaces.
     */
    public record Request(String verb, String group, String resource, String subresource, String namespace) {
        public String resourcePath() {
            return subresource == null || subresource.isEmpty() ? resource : resource + "/" + subresource;
        }
    }

    private final List<Grant> grants;

    private ChartRbac(List<Grant> grants) {
        this.grants = List.copyOf(grants);
    }

    /** RBAC of the chart rendered with the given values (null: defaults). */
    public static ChartRbac of(String valuesYaml) {
        return of(ChartRenderer.manifests(valuesYaml));
    }

    public static ChartRbac of(List<HasMetadata> objects) {
        List<Grant> grants = new ArrayList<>();
        for (ClusterRoleBinding binding : ChartRenderer.ofType(objects, ClusterRoleBinding.class)) {
            List<PolicyRule> rules = rules(objects, binding.getRoleRef(), null);
            for (Subject s : serviceAccounts(binding.getSubjects())) {
                rules.forEach(r -> grants.add(new Grant(s.getName(), null, r)));
            }
        }
        for (RoleBinding binding : ChartRenderer.ofType(objects, RoleBinding.class)) {
            String ns = binding.getMetadata().getNamespace();
            List<PolicyRule> rules = rules(objects, binding.getRoleRef(), ns);
            for (Subject s : serviceAccounts(binding.getSubjects())) {
                rules.forEach(r -> grants.add(new Grant(s.getName(), ns, r)));
            }
        }
        return new ChartRbac(grants);
    }

    public List<Grant> grants(String serviceAccount) {
        return grants.stream().filter(g -> g.serviceAccount().equals(serviceAccount)).toList();
    }

    /** Whether the ServiceAccount (in the release namespace) may send this request. */
    public boolean allows(String serviceAccount, Request request) {
        return granted(serviceAccount).anyMatch(p -> p.covers(request));
    }

    /** Every granted permission of the ServiceAccount as "verb group/resource[/sub] @namespace-or-*". */
    public Set<String> permissions(String serviceAccount) {
        return granted(serviceAccount).map(Permission::toString).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The granted permissions (as in {@link #permissions}) that none of the requests needed. */
    public Set<String> unusedBy(String serviceAccount, Collection<Request> requests) {
        return granted(serviceAccount).filter(p -> requests.stream().noneMatch(p::covers))
                .map(Permission::toString).collect(Collectors.toCollection(TreeSet::new));
    }

    /** One verb on one resource, in one namespace or (null) everywhere. */
    private record Permission(String verb, String group, String resource, String namespace) {
        boolean covers(Request request) {
            return (namespace == null || namespace.equals(request.namespace()))
                    && group.equals(request.group()) && resource.equals(request.resourcePath()) && verb.equals(request.verb());
        }

        @Override
        public String toString() {
            return verb + " " + group + "/" + resource + " @" + Optional.ofNullable(namespace).orElse("*");
        }
    }

    private Stream<Permission> granted(String serviceAccount) {
        return grants(serviceAccount).stream().flatMap(g -> g.rule().getApiGroups().stream()
                .flatMap(group -> g.rule().getResources().stream()
                        .flatMap(resource -> g.rule().getVerbs().stream()
                                .map(verb -> new Permission(verb, group, resource, g.namespace())))));
    }

    private static List<Subject> serviceAccounts(List<Subject> subjects) {
        return subjects.stream().filter(s -> "ServiceAccount".equals(s.getKind())).toList();
    }

    private static List<PolicyRule> rules(List<HasMetadata> objects, RoleRef ref, String namespace) {
        if ("ClusterRole".equals(ref.getKind())) {
            return new ArrayList<>(ChartRenderer.one(objects, ClusterRole.class, ref.getName()).getRules());
        }
        return new ArrayList<>(ChartRenderer.ofType(objects, Role.class).stream()
                .filter(r -> r.getMetadata().getName().equals(ref.getName()) && namespace.equals(r.getMetadata().getNamespace()))
                .findFirst().orElseThrow(() -> new AssertionError("no Role " + namespace + "/" + ref.getName()))
                .getRules());
    }
}
