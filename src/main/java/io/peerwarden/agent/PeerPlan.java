package io.peerwarden.agent;

import io.peerwarden.core.wg.WgPeerConfig;

/**
 * What the agent does with one VpnPeer of an instance on its node.
 *
 * @param config the server-side entry when {@link Kind#DESIRED}, else null
 */
public record PeerPlan(Kind kind, WgPeerConfig config, String message) {

    public enum Kind {
        /** On the interface. */
        DESIRED,
        /** spec.restricted: absent from the interface. */
        RESTRICTED,
        /** The operator found it invalid (collision, bad field): absent from the interface. */
        NOT_VALID,
        /** The operator has not caught up with its spec yet (or its config Secret is not cached): left as it is live. */
        PENDING
    }

    static PeerPlan desired(WgPeerConfig config) {
        return new PeerPlan(Kind.DESIRED, config, null);
    }

    static PeerPlan of(Kind kind, String message) {
        return new PeerPlan(kind, null, message);
    }
}
