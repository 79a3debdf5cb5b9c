package io.peerwarden.core.node;

import io.peerwarden.core.wg.WgPeerConfig;

/**
 * What the node agent does with one VpnPeer of an instance on its node (not the operator's
 * {@link io.peerwarden.core.plan.PeerPlan}, which decides the peer's addresses, keys and Secret).
 *
 * @param config the server-side entry when {@link Kind#DESIRED}, else null
 */
public record PeerDisposition(Kind kind, WgPeerConfig config, String message) {

    public enum Kind {
        /** On the interface. */
        DESIRED,
        /** spec.restricted: absent from the interface. */
        RESTRICTED,
        /** The operator found it invalid (collision, bad field): absent from the interface. */
        NOT_VALID,
        /** What the operator published for it is not a usable key: absent from the interface. */
        KEY_INVALID,
        /** The operator has not caught up with its spec yet (or has not published its keys for this node): left as it is live. */
        PENDING
    }

    public static PeerDisposition desired(WgPeerConfig config) {
        return new PeerDisposition(Kind.DESIRED, config, null);
    }

    public static PeerDisposition of(Kind kind, String message) {
        return new PeerDisposition(kind, null, message);
    }
}
