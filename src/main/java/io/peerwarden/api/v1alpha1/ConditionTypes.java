package io.peerwarden.api.v1alpha1;

/** Condition types of both kinds: part of the API, so `kubectl wait --for=condition=...` can rely on them. */
public final class ConditionTypes {

    /** Summary: instance or peer usable. Peer: Valid ∧ AddressAssigned ∧ ConfigRendered ∧ Applied. */
    public static final String READY = "Ready";
    /** Instance: the server key exists and decodes. */
    public static final String KEY_READY = "KeyReady";
    /** Written by the node agent: the interface (instance) or the peer entry (peer) is live. */
    public static final String APPLIED = "Applied";
    /** Peer: the spec passed validation and collision checks. */
    public static final String VALID = "Valid";
    /** Peer: tunnel addresses are fixed (from spec or allocated). */
    public static final String ADDRESS_ASSIGNED = "AddressAssigned";
    /** Peer: the config Secret holds the current rendering. */
    public static final String CONFIG_RENDERED = "ConfigRendered";
    /** Peer, written by the agent, information only: a recent handshake. */
    public static final String CONNECTED = "Connected";
    /**
     * Instance: the operator accepts it for its node (valid spec, allowed by the install policy,
     * interface name and listen port unique on the node) for status.observedGeneration. The agent
     * applies only accepted instances.
     */
    public static final String ACCEPTED = "Accepted";

    private ConditionTypes() {
    }
}
