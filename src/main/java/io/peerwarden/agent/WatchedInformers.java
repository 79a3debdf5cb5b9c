package io.peerwarden.agent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import org.slf4j.Logger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The informers of one kind over the watched namespaces: one per namespace, or a single all-namespaces informer
 * when the set is empty. Lookups go to the informer of the object's namespace; lists and indexes are merged;
 * synced means every informer has its initial list.
 */
final class WatchedInformers<T extends HasMetadata> {

    private final SharedIndexInformer<T> anyNamespace;
    private final Map<String, SharedIndexInformer<T>> byNamespace;

    private WatchedInformers(SharedIndexInformer<T> anyNamespace, Map<String, SharedIndexInformer<T>> byNamespace) {
        this.anyNamespace = anyNamespace;
        this.byNamespace = byNamespace;
    }

    /**
     * @param namespaces the watched namespaces; empty means all
     * @param inNamespace a (not started) informer in one namespace
     * @param inAnyNamespace a (not started) informer in all namespaces
     */
    static <T extends HasMetadata> WatchedInformers<T> create(Set<String> namespaces,
                                                            Function<String, SharedIndexInformer<T>> inNamespace,
                                                            Supplier<SharedIndexInformer<T>> inAnyNamespace) {
        if (namespaces.isEmpty()) {
            return new WatchedInformers<>(inAnyNamespace.get(), Map.of());
        }
        Map<String, SharedIndexInformer<T>> informers = new LinkedHashMap<>();
        for (String namespace : new TreeSet<>(namespaces)) {
            informers.put(namespace, inNamespace.apply(namespace));
        }
        return new WatchedInformers<>(null, Collections.unmodifiableMap(informers));
    }

    private List<SharedIndexInformer<T>> all() {
        return anyNamespace != null ? List.of(anyNamespace) : List.copyOf(byNamespace.values());
    }

    /** The informer holding objects of this namespace, or null when the namespace is not watched. */
    private SharedIndexInformer<T> informerFor(String namespace) {
        return anyNamespace != null ? anyNamespace : byNamespace.get(namespace);
    }

    /** Whether objects of this namespace are watched. */
    boolean watches(String namespace) {
        return informerFor(namespace) != null;
    }

    /**
     * Keep retrying (with the informers' backoff) instead of stopping when a list or watch fails — e.g. a 403 while
     * the RBAC of a watched namespace is not there yet — so the agent becomes ready once it is. Deserialization
     * failures still stop the informer, as retrying cannot fix them.
     */
    void retryOnFailure(Logger log) {
        all().forEach(i -> i.exceptionHandler((started, t) -> {
            if (ExceptionHandler.isDeserializationException(t)) {
                return false;
            }
            log.warn("informer failed, retrying: {}", t.getCause() != null ? t.getCause().getMessage() : t.getMessage());
            return true;
        }));
    }

    void addIndexers(Map<String, Function<T, List<String>>> indexers) {
        all().forEach(i -> i.addIndexers(indexers));
    }

    void addEventHandler(ResourceEventHandler<T> handler) {
        all().forEach(i -> i.addEventHandler(handler));
    }

    void start() {
        all().forEach(SharedIndexInformer::start);
    }

    void stop() {
        all().forEach(SharedIndexInformer::stop);
    }

    /** True once every informer has its initial list. */
    boolean hasSynced() {
        return all().stream().allMatch(SharedIndexInformer::hasSynced);
    }

    List<T> list() {
        if (anyNamespace != null) {
            return anyNamespace.getStore().list();
        }
        List<T> items = new ArrayList<>();
        byNamespace.values().forEach(i -> items.addAll(i.getStore().list()));
        return items;
    }

    /** The cached object namespace/name, or null (also when the namespace is not watched). */
    T get(String namespace, String name) {
        SharedIndexInformer<T> informer = informerFor(namespace);
        return informer == null ? null : informer.getStore().getByKey(namespace + "/" + name);
    }

    /**
     * Objects indexed under {@code indexKey}, from every watched namespace: a peer may name an
     * instance of another namespace, so its index entry is in its own namespace's informer.
     */
    List<T> byIndex(String indexName, String indexKey) {
        if (anyNamespace != null) {
            return anyNamespace.getIndexer().byIndex(indexName, indexKey);
        }
        List<T> items = new ArrayList<>();
        byNamespace.values().forEach(i -> items.addAll(i.getIndexer().byIndex(indexName, indexKey)));
        return items;
    }
}
