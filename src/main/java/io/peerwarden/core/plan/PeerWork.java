package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.core.net.Cidr;
import io.peerwarden.core.validation.Problem;

import java.util.ArrayList;
import java.util.List;

/** Working state of one peer while its instance's group is planned: what the steps found so far. */
final class PeerWork {

    final VpnPeer peer;
    final VpnPeerSpec spec;
    final String key;
    final List<Problem> problems = new ArrayList<>();
    final List<Cidr> addresses = new ArrayList<>();
    /** the addresses are the user's spec.allowedIPs, never allocated */
    boolean explicit;
    /** the instance does not admit the peer's namespace: it takes part in nothing (addresses, keys) */
    boolean notAllowed;
    /** what it asked for in step 1 (claimed or not): an incremental plan checks others' changes against it */
    List<Cidr> attempted = List.of();
    /** some of what it asked for was held by another (it lost a collision or a recorded address) */
    boolean contested;
    /** it was given an address in step 2 (the lowest free one), not one it held before */
    boolean allocated;
    /** step 2 found its pool full */
    boolean exhausted;
    /** the public key it brought or was given, as claimed in step 3 (null: none, or it claims none) */
    String presentedKey;
    /** an unexpected exception in one of this peer's steps ({@link PeerGuard}): it takes no further step */
    private boolean failed;

    PeerWork(VpnPeer peer) {
        this.peer = peer;
        this.spec = peer.getSpec() == null ? new VpnPeerSpec() : peer.getSpec();
        this.key = Seniority.key(peer);
    }

    boolean hasProblem(String fieldPrefix) {
        return problems.stream().anyMatch(p -> p.field() != null && p.field().startsWith(fieldPrefix));
    }

    boolean hasProblem() {
        return !problems.isEmpty();
    }

    boolean failed() {
        return failed;
    }

    /** The peer failed a step: the internal problem first (Valid's reason), the addresses claimed so far dropped. */
    void fail(Problem internal) {
        failed = true;
        problems.add(0, internal);
        addresses.clear();
    }

    String uid() {
        return peer.getMetadata().getUid();
    }

    List<String> addressStrings() {
        return addresses.stream().map(Cidr::toString).toList();
    }
}
