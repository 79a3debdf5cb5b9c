package io.peerwarden.share;

import io.peerwarden.core.share.ShareGrant;
import io.peerwarden.core.share.ShareToken;

import java.util.Optional;

/** Where share records and peer configs are read, and records spent: the cluster ({@link KubeShareStore}). */
public interface ShareStore {

    /** The record a token names (by its hash), with what identifies this version of it; empty when there is none. */
    Optional<Stored> find(ShareToken token);

    /** The rendered config of the grant's peer, only while it is the same peer (UID); empty when it is not rendered. */
    Optional<PeerConfig> config(ShareGrant grant);

    /**
     * Deletes exactly this version of the record; true only for the one caller whose delete removed it, false
     * when it was already gone or changed (another visit spent it first).
     */
    boolean spend(Stored stored);

    /** A record as read: its grant, the Secret's UID (for diagnosis) and resourceVersion (the precondition of the spend). */
    record Stored(String name, ShareGrant grant, String uid, String resourceVersion) {
    }

    /** A peer's config file and its QR code (PNG), as the operator rendered them. */
    record PeerConfig(String config, byte[] qrPng) {
    }
}
