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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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
        return grants(serviceAccount).stream().anyMatch(g ->
                (g.namespace() == null || g.namespace().equals(request.namespace()))
                        && g.rule().getApiGroups().contains(request.group())
                        && g.rule().getResources().contains(request.resourcePath())
                        && g.rule().getVerbs().contains(request.verb()));
    }

    /** Every granted permission of the ServiceAccount as "verb group/resource[/sub] @namespace-or-*". */
    public Set<String> permissions(String serviceAccount) {
        Set<String> out = new TreeSet<>();
        for (Grant g : grants(serviceAccount)) {
            for (String group : g.rule().getApiGroups()) {
                for (String resource : g.rule().getResources()) {
                    for (String verb : g.rule().getVerbs()) {
                        out.add(verb + " " + group + "/" + resource + " @" + Optional.ofNullable(g.namespace()).orElse("*"));
                    }
                }
            }
        }
        return out;
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
