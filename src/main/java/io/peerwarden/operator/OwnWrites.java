package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peers' writes this process has in flight or has just made (config Secrets, peer statuses), so that the watch
 * events they cause mark nothing in {@link DirtyPeers}: a first rollout writes a Secret and a status per peer, and each
 * echo that re-marked its peer had it planned again (measured at 1,000 new peers: 1,730 peers planned, not 1,000).
 * JOSDK drops an echo by itself when the write's response was handled before the event came
 * ({@code handleRecentResource*}); this covers the other order, common under load.
 *
 * <p>An event is an echo only when it carries the very resourceVersion this process wrote: anything else is someone
 * else's change and marks its peer. An event that comes while a write of the same object is in flight cannot be told
 * yet; its mark waits, and the write's end decides: the written version: an echo, dropped; any other version (or a
 * failed write): marked then. The writes run inside the reconcile that planned them, which waits for them before it
 * ends, and the event that came meanwhile has a reconcile queued behind it (its filter let it pass), so a mark made at
 * the write's end is taken by that next reconcile: none is lost. Deletions are never echoes (the caller marks them).
 */
final class OwnWrites {

    /**
     * Finished writes are remembered this long: their echo comes within it, unless JOSDK dropped it (it does when the
     * write's response was handled first) or it is late (then it only plans its peer once more). Swept at most once a
     * period, so what is remembered is the writes of about the last two periods: O(1) a write.
     */
    private static final long KEEP_NANOS = 10_000_000_000L;

    private static final class Entry {
        int inFlight;
        String written;
        long finishedAt;
        final List<Deferred> deferred = new ArrayList<>(1);
    }

    private record Deferred(String version, Runnable mark) {
    }

    private final Map<String, Entry> byObject = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong(System.nanoTime());
    private final AtomicLong echoes = new AtomicLong();

    static String key(String kind, String namespace, String name) {
        return kind + "/" + namespace + "/" + name;
    }

    static String key(HasMetadata resource) {
        return key(resource.getKind(), resource.getMetadata().getNamespace(), resource.getMetadata().getName());
    }

    /** A write of the object is about to be sent; {@link #finished} must follow, also when it fails. */
    void started(String key) {
        byObject.compute(key, (k, entry) -> {
            Entry e = entry == null ? new Entry() : entry;
            e.inFlight++;
            return e;
        });
        sweepIfDue();
    }

    /**
     * The write ended: {@code version} is the resourceVersion it wrote, or null when it wrote nothing or failed. Marks
     * held back for events that came meanwhile run now, unless the event was this write's own.
     */
    void finished(String key, String version) {
        List<Deferred> decide = new ArrayList<>();
        byObject.computeIfPresent(key, (k, e) -> {
            e.inFlight--;
            if (version != null) {
                e.written = version;
            }
            e.finishedAt = System.nanoTime();
            if (e.inFlight == 0) {
                decide.addAll(e.deferred);
                e.deferred.clear();
            }
            return e.inFlight == 0 && e.written == null ? null : e;
        });
        for (Deferred d : decide) {
            if (version != null && version.equals(d.version())) {
                echoes.incrementAndGet();
            } else {
                d.mark().run();
            }
        }
    }

    /**
     * An add or update event that would mark: runs {@code mark} now when the event is not this process's write, holds it
     * back while a write of the object is in flight, and drops it when the event carries the version written.
     *
     * @return false when the event is known to be an echo (nothing to reconcile for it), else true
     */
    boolean markUnlessOwn(HasMetadata resource, Runnable mark) {
        sweepIfDue();
        String version = resource.getMetadata() == null ? null : resource.getMetadata().getResourceVersion();
        boolean[] run = {true};
        boolean[] echo = {false};
        byObject.computeIfPresent(key(resource), (k, e) -> {
            if (version != null && version.equals(e.written)) {
                echo[0] = true;
                run[0] = false;
                e.written = null;
            } else if (e.inFlight > 0) {
                e.deferred.add(new Deferred(version, mark));
                run[0] = false;
            }
            return e.inFlight == 0 && e.written == null ? null : e;
        });
        if (echo[0]) {
            echoes.incrementAndGet();
            return false;
        }
        if (run[0]) {
            mark.run();
        }
        return true;
    }

    /** Echoes dropped so far (for tests). */
    long echoes() {
        return echoes.get();
    }

    /** Objects remembered (for tests: bounded). */
    int remembered() {
        return byObject.size();
    }

    private void sweepIfDue() {
        long now = System.nanoTime();
        long last = lastSweep.get();
        if (now - last < KEEP_NANOS || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        byObject.forEach((k, e) -> byObject.computeIfPresent(k, (key, current) ->
                current.inFlight == 0 && current.deferred.isEmpty() && now - current.finishedAt > KEEP_NANOS ? null : current));
    }
}
