package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.core.validation.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The guard around every per-peer step of a plan (validation, address claims, allocation, keys,
 * rendering): an exception nobody expected, in one peer's step, becomes that peer's
 * {@code Valid=False, InternalError} and the other peers are planned as if it were not there. The
 * peer takes no further step in this plan, so it neither claims addresses nor mints keys nor writes
 * a Secret (what it had is kept). The failure is logged once per peer generation and step, with the
 * exception's class and where it was thrown, never its message: that may quote the peer's spec.
 */
final class PeerGuard {

    private static final Logger LOG = LoggerFactory.getLogger(PeerGuard.class);
    /** Failures already logged (peer, generation, step), bounded: a process planning for months forgets old ones. */
    private static final int REMEMBERED = 10_000;

    private final Set<String> logged = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            }));

    /** Runs one step for one peer; a peer that already failed skips it. */
    void run(PeerWork w, String step, Runnable action) {
        if (w.failed()) {
            return;
        }
        try {
            action.run();
        } catch (RuntimeException e) {
            fail(w, step, e);
        }
    }

    /** Marks the peer failed in {@code step}: its problem is the first of its list, so Valid shows InternalError. */
    void fail(PeerWork w, String step, RuntimeException e) {
        w.fail(new Problem(Reasons.INTERNAL_ERROR, "spec", "The operator could not plan this peer: an internal error in "
                + step + " (" + e.getClass().getSimpleName() + "). The instance's other peers are not affected; the peer is"
                + " planned again on its next change or resync. Please report this as a bug with the operator's log."));
        String key = w.key + "@" + w.peer.getMetadata().getGeneration() + "/" + step;
        if (logged.add(key)) {
            StackTraceElement at = e.getStackTrace().length == 0 ? null : e.getStackTrace()[0];
            LOG.error("planning VpnPeer {} failed in {}: {} at {}; its other problems and the instance's other peers are"
                    + " planned as usual", w.key, step, e.getClass().getName(), at);
        }
    }
}
