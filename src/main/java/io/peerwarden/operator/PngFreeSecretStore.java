package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.peerwarden.api.v1alpha1.Labels;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The operator's Secret cache without the QR code PNGs: a peer's config Secret keeps everything but its
 * {@code wg0.png} value, which becomes {@link #PRUNED}, so the cache still says the PNG is there (a Secret that lost
 * it is rewritten) while 10,000 Secrets do not hold 10,000 images. Nothing the operator decides needs the PNG: it is
 * a function of {@code wg0.conf}. A copy from this cache must never be written back as it is ({@link SecretWriter}
 * writes the full data it plans, and patches only metadata otherwise).
 */
final class PngFreeSecretStore implements ItemStore<Secret> {

    /** Stands for a PNG left out of the cache. Not base64, so never a value the API server returns. */
    static final String PRUNED = "(in the API server)";

    private final BasicItemStore<Secret> items = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

    /** The Secret without its PNG value (a copy; the Secret itself is not changed), or the Secret when it has none. */
    static Secret withoutPng(Secret secret) {
        Map<String, String> data = secret.getData();
        if (data == null) {
            return secret;
        }
        String png = data.get(Labels.CONFIG_QR);
        if (png == null || png.isEmpty() || PRUNED.equals(png)) {
            return secret;
        }
        Map<String, String> pruned = new LinkedHashMap<>(data);
        pruned.put(Labels.CONFIG_QR, PRUNED);
        Secret copy = new Secret(secret.getApiVersion(), pruned, secret.getImmutable(), secret.getKind(), secret.getMetadata(),
                secret.getStringData(), secret.getType());
        secret.getAdditionalProperties().forEach(copy::setAdditionalProperty);
        return copy;
    }

    @Override
    public String getKey(Secret secret) {
        return items.getKey(secret);
    }

    @Override
    public Secret put(String key, Secret secret) {
        return items.put(key, withoutPng(secret));
    }

    @Override
    public Secret remove(String key) {
        return items.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet();
    }

    @Override
    public Stream<Secret> values() {
        return items.values();
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public Secret get(String key) {
        return items.get(key);
    }
}
