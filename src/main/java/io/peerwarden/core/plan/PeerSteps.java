package io.peerwarden.core.plan;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Step 3 of a plan over many peers, on every core: keys are resolved in parallel, public keys are claimed
 * serially in seniority order (so the first holder keeps a key, exactly as in one serial pass), then the
 * configs are rendered in parallel and each plan is handed to the caller as soon as it is ready.
 */
final class PeerSteps {

    /** Below this many peers the fork-join overhead costs more than it saves. */
    static final int PARALLEL_FROM = 64;

    /** What step 3a decided for one peer. */
    record Keys(String secretName, Optional<SecretLookup.SecretState> managed, KeyResolution.PeerKeys peerKeys, String publicKey) {
        @Override
        public String toString() {
            return "Keys[" + secretName + "]";
        }
    }

    private PeerSteps() {
    }

    /** @param work in seniority order; the plans come back in the same order */
    static List<PeerPlan> keysAndRender(InstancePlanner planner, PlanContext context, List<PeerWork> work,
                                        PublicKeyClaims publicKeys, Consumer<PeerPlan> planned) {
        int n = work.size();
        Keys[] keys = new Keys[n];
        indices(n).forEach(i -> keys[i] = planner.resolveKeys(context, work.get(i)));
        for (int i = 0; i < n; i++) {
            claimPublicKey(work.get(i), keys[i], publicKeys);
        }
        PeerPlan[] plans = new PeerPlan[n];
        indices(n).forEach(i -> {
            plans[i] = planner.render(context, work.get(i), keys[i]);
            planned.accept(plans[i]);
        });
        return List.of(plans);
    }

    /** Step 3b for one peer, serially in seniority order: the first holder of a public key keeps it. */
    static void claimPublicKey(PeerWork w, PeerSteps.Keys k, PublicKeyClaims publicKeys) {
        if (k == null || w.notAllowed) {
            return;
        }
        String keyField = w.spec.getPublicKey() == null && w.spec.getPrivateKeySecretRef() != null
                ? "spec.privateKeySecretRef" : "spec.publicKey";
        w.presentedKey = k.publicKey();
        publicKeys.claim(w, k.publicKey(), keyField).ifPresent(w.problems::add);
    }

    private static IntStream indices(int n) {
        IntStream range = IntStream.range(0, n);
        return n >= PARALLEL_FROM ? range.parallel() : range;
    }
}
