package io.peerwarden.core.validation;

import io.peerwarden.api.v1alpha1.Formats;
import io.peerwarden.api.v1alpha1.InstanceRef;
import io.peerwarden.api.v1alpha1.PresharedKeySpec;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.core.net.AddressPool;
import io.peerwarden.core.validation.FieldChecks.Indexed;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a {@link VpnPeerSpec} on its own and against its instance's address pools. Everything is
 * checked by parsing; all problems are reported, not only the first. Collisions with other peers
 * (AllowedIPTaken) are the {@link io.peerwarden.core.net.AllowedIpIndex}'s job, and key pair checks
 * need the Secret's value, which the operator reads: see {@link #keyMismatch}.
 */
public final class PeerSpecValidator {

    static final String CLIENT = "client";
    static final String SITE = "site";

    /**
     * The problems of {@code spec}, empty when it is valid. {@code instancePools} are the pools of
     * the peer's instance; empty when the instance is unknown, which skips the pool membership checks.
     */
    public List<Problem> validate(VpnPeerSpec spec, List<AddressPool> instancePools) {
        Objects.requireNonNull(spec, "spec");
        List<AddressPool> pools = instancePools == null ? List.of() : instancePools;
        List<Problem> problems = new ArrayList<>();
        instanceRef(problems, spec);
        FieldChecks.protocol(problems, spec.getProtocol());
        type(problems, spec);
        FieldChecks.singleLineText(problems, spec.getDisplayName(), Reasons.INVALID_DISPLAY_NAME, "spec.displayName", "Display name");
        FieldChecks.singleLineText(problems, spec.getUserId(), Reasons.INVALID_USER_ID, "spec.userId", "User id");
        FieldChecks.singleLineText(problems, spec.getSiteId(), Reasons.INVALID_SITE_ID, "spec.siteId", "Site id");
        allowedIPs(problems, spec.getAllowedIPs(), pools);
        subnets(problems, spec.getSubnets(), pools);
        endpointAllowedIPs(problems, spec.getEndpointAllowedIPs());
        FieldChecks.dns(problems, spec.getDns());
        FieldChecks.mtu(problems, spec.getMtu());
        FieldChecks.persistentKeepalive(problems, spec.getPersistentKeepalive());
        FieldChecks.endpoint(problems, spec.getEndpoint(), true);
        keys(problems, spec);
        AccessRuleChecks.check(problems, spec.getAccess());
        return List.copyOf(problems);
    }

    /**
     * KeyMismatch when the public key derived from the private key in the Secret differs from
     * spec.publicKey; empty when they match or spec.publicKey is absent. Only public keys appear in
     * the message.
     */
    public static Optional<Problem> keyMismatch(String publicKeyFromSpec, String publicKeyDerivedFromSecret) {
        return keyMismatch(publicKeyFromSpec, publicKeyDerivedFromSecret, null);
    }

    /** {@link #keyMismatch(String, String)} naming the Secret that holds the private key. */
    public static Optional<Problem> keyMismatch(String publicKeyFromSpec, String publicKeyDerivedFromSecret, String secretName) {
        Objects.requireNonNull(publicKeyDerivedFromSecret, "publicKeyDerivedFromSecret");
        if (publicKeyFromSpec == null || publicKeyFromSpec.equals(publicKeyDerivedFromSecret)) {
            return Optional.empty();
        }
        String where = secretName == null ? "spec.privateKeySecretRef" : "Secret " + secretName;
        return Optional.of(new Problem(Reasons.KEY_MISMATCH, "spec.publicKey",
                "Private key does not match with the public key: spec.publicKey is " + publicKeyFromSpec + " but the key in "
                        + where + " derives " + publicKeyDerivedFromSecret
                        + ". Fix spec.publicKey, point spec.privateKeySecretRef at the matching key, or remove spec.publicKey."));
    }

    private static void type(List<Problem> problems, VpnPeerSpec spec) {
        String type = spec.getType() == null ? CLIENT : spec.getType();
        if (CLIENT.equals(type)) {
            if (spec.getSubnets() != null) {
                notApplicable(problems, "spec.subnets", "client", "site");
            }
            if (spec.getSiteId() != null) {
                notApplicable(problems, "spec.siteId", "client", "site");
            }
        } else if (SITE.equals(type)) {
            if (spec.getUserId() != null) {
                notApplicable(problems, "spec.userId", "site", "client");
            }
            if (Boolean.TRUE.equals(spec.getRouteAll())) {
                notApplicable(problems, "spec.routeAll", "site", "client");
            }
        } else {
            problems.add(new Problem(Reasons.INVALID_TYPE, "spec.type",
                    "Peer type is incorrect: spec.type is " + FieldChecks.quote(type) + ", use client or site."));
        }
    }

    private static void notApplicable(List<Problem> problems, String field, String type, String otherType) {
        problems.add(new Problem(Reasons.FIELD_NOT_APPLICABLE, field, field + " does not apply to a " + type
                + " peer: remove it or set spec.type to " + otherType + "."));
    }

    /**
     * A name no VpnInstance can have: the peer can never find its instance. (A valid name of an
     * instance that does not exist is the operator's InstanceNotFound as well, decided where the
     * instances are known.)
     */
    private static void instanceRef(List<Problem> problems, VpnPeerSpec spec) {
        InstanceRef ref = spec.getInstanceRef();
        if (ref == null || ref.getName() == null || ref.getName().isEmpty()) {
            problems.add(new Problem(Reasons.INSTANCE_NOT_FOUND, "spec.instanceRef.name",
                    "Instance is not named: spec.instanceRef.name is missing; name the VpnInstance this peer connects to."));
        } else if (!FieldChecks.isObjectName(ref.getName())) {
            problems.add(new Problem(Reasons.INSTANCE_NOT_FOUND, "spec.instanceRef.name", "Instance name is incorrect: "
                    + "spec.instanceRef.name is " + FieldChecks.quote(ref.getName()) + ", which no VpnInstance can have:"
                    + " use the instance's name (lower-case letters, digits, '-' and '.')."));
        }
        if (ref != null && ref.getNamespace() != null && !(FieldChecks.fits(ref.getNamespace(), Formats.MAX_NAMESPACE)
                && Formats.matches(Formats.NAMESPACE_NAME, ref.getNamespace()))) {
            problems.add(new Problem(Reasons.INSTANCE_NOT_FOUND, "spec.instanceRef.namespace", "Instance namespace is incorrect: "
                    + "spec.instanceRef.namespace is " + FieldChecks.quote(ref.getNamespace()) + ", which no namespace can have:"
                    + " use the instance's namespace (up to 63 lower-case letters, digits and '-'), or remove it for the peer's own."));
        }
    }

    private static void allowedIPs(List<Problem> problems, List<String> texts, List<AddressPool> pools) {
        if (texts != null && FieldChecks.tooMany(problems, texts, Formats.MAX_ALLOWED_IPS, Reasons.INVALID_ALLOWED_IPS,
                "spec.allowedIPs", "allowed IPs")) {
            return;
        }
        List<Indexed> parsed = FieldChecks.cidrs(problems, texts, "spec.allowedIPs", Reasons.INVALID_ALLOWED_IPS, "Allowed IP");
        if (!pools.isEmpty()) {
            for (Indexed entry : parsed) {
                Optional<AddressPool> pool = pools.stream().filter(p -> p.contains(entry.cidr())).findFirst();
                if (pool.isEmpty()) {
                    problems.add(new Problem(Reasons.INVALID_ALLOWED_IPS, entry.field(), "Allowed IP is outside the instance pool: "
                            + entry.field() + " is " + entry.cidr() + ", use an address inside " + poolList(pools)
                            + " or remove it to get one allocated."));
                } else if (pool.get().containsReserved(entry.cidr())) {
                    problems.add(new Problem(Reasons.INVALID_ALLOWED_IPS, entry.field(), "Allowed IP includes a reserved address: "
                            + entry.field() + " is " + entry.cidr() + ", which contains the server address "
                            + pool.get().serverAddress().toCanonicalString() + " or the network or broadcast address of "
                            + pool.get().network() + "; use a free host address such as a /32 or /128."));
                }
            }
        }
        FieldChecks.noOverlapWithinList(problems, parsed, Reasons.INVALID_ALLOWED_IPS, "Allowed IP");
    }

    private static void subnets(List<Problem> problems, List<String> texts, List<AddressPool> pools) {
        if (texts != null && FieldChecks.tooMany(problems, texts, Formats.MAX_SUBNETS, Reasons.INVALID_SUBNETS, "spec.subnets", "subnets")) {
            return;
        }
        List<Indexed> parsed = FieldChecks.cidrs(problems, texts, "spec.subnets", Reasons.INVALID_SUBNETS, "Subnet");
        for (Indexed entry : parsed) {
            for (AddressPool pool : pools) {
                if (pool.network().overlaps(entry.cidr())) {
                    problems.add(new Problem(Reasons.INVALID_SUBNETS, entry.field(), "Subnet overlaps the instance pool: "
                            + entry.field() + " is " + entry.cidr() + " and the VPN's own addresses are " + pool.network()
                            + "; list only the networks behind the site."));
                    break;
                }
            }
        }
        FieldChecks.noOverlapWithinList(problems, parsed, Reasons.INVALID_SUBNETS, "Subnet");
    }

    private static void endpointAllowedIPs(List<Problem> problems, List<String> texts) {
        if (texts != null && FieldChecks.tooMany(problems, texts, Formats.MAX_ENDPOINT_ALLOWED_IPS, Reasons.INVALID_ENDPOINT_ALLOWED_IPS,
                "spec.endpointAllowedIPs", "endpoint allowed IPs")) {
            return;
        }
        List<Indexed> parsed = FieldChecks.cidrs(problems, texts, "spec.endpointAllowedIPs", Reasons.INVALID_ENDPOINT_ALLOWED_IPS,
                "Endpoint allowed IP");
        FieldChecks.noOverlapWithinList(problems, parsed, Reasons.INVALID_ENDPOINT_ALLOWED_IPS, "Endpoint allowed IP");
    }

    private static void keys(List<Problem> problems, VpnPeerSpec spec) {
        if (spec.getPublicKey() != null && !Formats.matches(Formats.WIREGUARD_KEY, spec.getPublicKey())) {
            problems.add(new Problem(Reasons.INVALID_KEY, "spec.publicKey", "Public key format is incorrect: spec.publicKey is "
                    + FieldChecks.quote(spec.getPublicKey()) + ", use the 44-character base64 key of 32 bytes that wg pubkey prints."));
        }
        FieldChecks.secretRef(problems, spec.getPrivateKeySecretRef(), "spec.privateKeySecretRef");
        PresharedKeySpec psk = spec.getPresharedKey();
        if (psk == null) {
            return;
        }
        String mode = psk.getMode() == null ? PresharedKeySpec.GENERATED : psk.getMode();
        boolean known = PresharedKeySpec.GENERATED.equals(mode) || PresharedKeySpec.SECRET.equals(mode)
                || PresharedKeySpec.NONE.equals(mode);
        if (!known) {
            problems.add(new Problem(Reasons.INVALID_KEY, "spec.presharedKey.mode", "Preshared key mode is incorrect: "
                    + "spec.presharedKey.mode is " + FieldChecks.quote(mode) + ", use Generated, Secret or None."));
        } else if (PresharedKeySpec.SECRET.equals(mode) && psk.getSecretRef() == null) {
            problems.add(new Problem(Reasons.INVALID_KEY, "spec.presharedKey.secretRef", "Preshared key Secret is missing: "
                    + "spec.presharedKey.mode is Secret but spec.presharedKey.secretRef is not set; name the Secret holding the key."));
        } else if (!PresharedKeySpec.SECRET.equals(mode) && psk.getSecretRef() != null) {
            problems.add(new Problem(Reasons.INVALID_KEY, "spec.presharedKey.secretRef", "Preshared key Secret is not used: "
                    + "spec.presharedKey.secretRef is set but spec.presharedKey.mode is " + mode + "; set mode to Secret or remove secretRef."));
        } else {
            FieldChecks.secretRef(problems, psk.getSecretRef(), "spec.presharedKey.secretRef");
        }
    }

    private static String poolList(List<AddressPool> pools) {
        return String.join(" or ", pools.stream().map(p -> p.network().toString()).toList());
    }
}
