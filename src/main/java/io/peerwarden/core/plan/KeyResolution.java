package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.PresharedKeySpec;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.SecretKeyRef;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.core.keys.PublicKeyMemo;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.status.ConditionState;
import io.peerwarden.core.status.InstanceConditions;
import io.peerwarden.core.validation.Problem;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static io.peerwarden.core.plan.SecretData.b64;
import static io.peerwarden.core.plan.SecretData.ours;
import static io.peerwarden.core.plan.SecretData.unb64;

/**
 * Which keys an instance and its peers use: the user's (from a referenced Secret), the ones the
 * operator generated earlier (from its own Secrets), or fresh ones. Keys are never minted for a peer
 * that will not be rendered.
 */
final class KeyResolution {

    /** The instance's key; {@code privateKey} is null when it cannot be had (the condition says why). */
    record InstanceKey(String privateKey, String publicKey, ConditionState condition, DesiredSecret toCreate) {
    }

    /**
     * A peer's keys. {@code operatorKey}: the private key is the operator's, so it is kept in the
     * peer's Secret; a key from the user's Secret stays there (it is still written into the config).
     * {@code regenerated}: not null when these keys replace generated ones lost with their deleted Secret
     * (the replaced public key, or {@code preshared-key}), as {@link Labels#KEYS_REGENERATED_ANNOTATION} records it.
     */
    record PeerKeys(String privateKey, String publicKey, String presharedKey, boolean operatorKey, String regenerated) {
    }

    private record KeyRead(String key, Problem problem) {
    }

    /** Public keys remembered: more than one instance's peers at the 10,000-peer scale, about 200 bytes each. */
    static final int REMEMBERED_PUBLIC_KEYS = 200_000;

    private final KeySource keys;
    /** Every public key this resolution derives, of stored and generated keys alike: an unchanged key is derived once. */
    private final PublicKeyMemo publicKeys;

    KeyResolution(KeySource keys) {
        this.keys = keys;
        this.publicKeys = new PublicKeyMemo(REMEMBERED_PUBLIC_KEYS, keys::publicKeyOf);
    }

    /** How many public keys were derived (not found in the memo) since this resolution was made. */
    long derivations() {
        return publicKeys.derivations();
    }

    InstanceKey instanceKey(VpnInstance instance, SecretLookup secrets) {
        String namespace = instance.getMetadata().getNamespace();
        SecretKeyRef ref = instance.getSpec() == null ? null : instance.getSpec().getPrivateKeySecretRef();
        if (ref != null) {
            String dataKey = ref.keyOr(Labels.PRIVATE_KEY);
            Optional<SecretLookup.SecretState> secret = secrets.find(namespace, ref.getName());
            if (secret.isEmpty()) {
                return missing(Reasons.KEY_SECRET_NOT_FOUND, "Secret " + ref.getName() + " named in spec.privateKeySecretRef"
                        + " does not exist: create it with the key " + dataKey + " or remove the reference to have a key generated.");
            }
            return decode(secret.get(), dataKey, "spec.privateKeySecretRef (Secret " + ref.getName() + ")", Reasons.KEY_FROM_SECRET,
                    "The private key is read from Secret " + ref.getName() + ".");
        }
        String name = Labels.instanceKeySecretName(instance.getMetadata().getName());
        Optional<SecretLookup.SecretState> existing = secrets.find(namespace, name);
        if (existing.isPresent() && !ours(existing.get())) {
            return missing(Reasons.SECRET_NAME_TAKEN, "Secret " + name
                    + " exists but was not created by Peerwarden, which keeps a generated key under that name and never"
                    + " touches Secrets it did not create: rename that Secret, or reference it in spec.privateKeySecretRef.");
        }
        if (existing.isPresent()) {
            String replaced = existing.get().annotations().get(Labels.KEYS_REGENERATED_ANNOTATION);
            InstanceKey kept = decode(existing.get(), Labels.PRIVATE_KEY, "Secret " + name, Reasons.KEY_GENERATED,
                    "The private key was generated into Secret " + name + ".");
            return replaced == null || kept.privateKey() == null ? kept : new InstanceKey(kept.privateKey(), kept.publicKey(),
                    InstanceConditions.keyReady(Reasons.KEYS_REGENERATED, regeneratedMessage(name, replaced, kept.publicKey())), null);
        }
        return generated(instance, name);
    }

    /**
     * KeyReady while a regenerated server key is not acknowledged: loud, and True, since the instance works
     * with the new key (a False KeyReady would take every peer off the interface).
     */
    private static String regeneratedMessage(String secret, String replaced, String publicKey) {
        return "The server key was generated again into Secret " + secret + " because the Secret holding the generated key was"
                + " deleted, and Peerwarden keeps no other copy: the public key changed from " + replaced + " to " + publicKey
                + ", and every peer's config was rendered again with it, so configs already on devices no longer work:"
                + " import the new ones. Remove the annotation " + Labels.KEYS_REGENERATED_ANNOTATION + " from Secret " + secret
                + " to clear this reason.";
    }

    private InstanceKey generated(VpnInstance instance, String name) {
        String privateKey = keys.generatePrivateKey();
        String publicKey = publicKeys.publicKeyOf(privateKey);
        // a public key in status means a key existed before: its Secret was deleted, the key is gone for good
        String replaced = instance.getStatus() == null ? null : instance.getStatus().getPublicKey();
        Map<String, String> labels = Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE,
                Labels.INSTANCE, Labels.labelValue(instance.getMetadata().getName()), Labels.COMPONENT, Labels.COMPONENT_INSTANCE_KEY);
        Map<String, String> data = new LinkedHashMap<>();
        data.put(Labels.PRIVATE_KEY, b64(privateKey));
        data.put(Labels.PUBLIC_KEY, b64(publicKey));
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(Labels.INSTANCE_NAME_ANNOTATION, instance.getMetadata().getName());
        if (replaced != null) {
            annotations.put(Labels.KEYS_REGENERATED_ANNOTATION, replaced);
        }
        DesiredSecret toCreate = new DesiredSecret(instance.getMetadata().getNamespace(), name, labels, annotations, data, null, true);
        return new InstanceKey(privateKey, publicKey, replaced != null
                ? InstanceConditions.keyReady(Reasons.KEYS_REGENERATED, regeneratedMessage(name, replaced, publicKey))
                : InstanceConditions.keyReady(Reasons.KEY_GENERATED, "The private key was generated into Secret " + name + "."), toCreate);
    }

    private InstanceKey decode(SecretLookup.SecretState secret, String dataKey, String where, String okReason, String okMessage) {
        String value = unb64(secret.data().get(dataKey));
        if (value == null) {
            return missing(Reasons.KEY_SECRET_NOT_FOUND, where + " has no key " + dataKey + ": add the base64 private key under that key.");
        }
        if (!WireGuardKeys.isValid(value.trim())) {
            return missing(Reasons.INVALID_KEY, "The value of " + dataKey + " in " + where
                    + " is not a WireGuard key (32 bytes, base64): generate one with wg genkey.");
        }
        String privateKey = value.trim();
        return new InstanceKey(privateKey, publicKeys.publicKeyOf(privateKey), InstanceConditions.keyReady(okReason, okMessage), null);
    }

    private static InstanceKey missing(String reason, String message) {
        return new InstanceKey(null, null, InstanceConditions.keyProblem(reason, message), null);
    }

    /**
     * The peer's keys, adding a problem to {@code w} for each that cannot be read.
     *
     * @param managed the peer's config Secret when the operator made it for this peer (earlier generated keys)
     */
    PeerKeys peerKeys(PeerWork w, SecretLookup secrets, Optional<SecretLookup.SecretState> managed) {
        String namespace = w.peer.getMetadata().getNamespace();
        String privateKey = null;
        String publicKey = w.spec.getPublicKey();
        boolean operatorKey = false;
        SecretKeyRef ref = w.spec.getPrivateKeySecretRef();
        if (ref != null) {
            privateKey = userPrivateKey(w, secrets, ref);
            if (privateKey != null) {
                publicKey = publicKeys.publicKeyOf(privateKey);
            }
        } else if (publicKey == null) {
            privateKey = kept(managed, Labels.PRIVATE_KEY).orElseGet(keys::generatePrivateKey);
            operatorKey = true;
            publicKey = publicKeys.publicKeyOf(privateKey);
        }
        return new PeerKeys(privateKey, publicKey, presharedKey(w, secrets, managed), operatorKey,
                regenerated(w, managed, operatorKey));
    }

    /**
     * Whether the keys the operator generates now replace generated keys lost with a deleted config Secret:
     * the peer's status says a config was rendered (with a public key) before, but its Secret is gone. The
     * record then stays on the new Secret until the user removes it.
     */
    private static String regenerated(PeerWork w, Optional<SecretLookup.SecretState> managed, boolean operatorKey) {
        if (managed.isPresent()) {
            return managed.get().annotations().get(Labels.KEYS_REGENERATED_ANNOTATION);
        }
        PresharedKeySpec psk = w.spec.getPresharedKey();
        boolean generatedPsk = psk == null || psk.getMode() == null || PresharedKeySpec.GENERATED.equals(psk.getMode());
        var status = w.peer.getStatus();
        if (status == null || status.getConfigSecretName() == null || status.getPublicKey() == null || !(operatorKey || generatedPsk)) {
            return null;
        }
        return operatorKey ? status.getPublicKey() : "preshared-key";
    }

    /**
     * Checks the keys the user brought (private key and preshared key Secrets, and that the private
     * key belongs to spec.publicKey), adding a problem for each, without deciding or minting any key:
     * for a peer that will not be rendered, so Valid still reports every problem of its own.
     *
     * @return the public key the user brought (spec.publicKey, else the one of the Secret's private key), or null
     */
    String checkUserKeys(PeerWork w, SecretLookup secrets) {
        SecretKeyRef ref = w.spec.getPrivateKeySecretRef();
        String publicKey = w.spec.getPublicKey();
        if (ref != null) {
            String privateKey = userPrivateKey(w, secrets, ref);
            if (privateKey != null && publicKey == null) {
                publicKey = publicKeys.publicKeyOf(privateKey);
            }
        }
        PresharedKeySpec psk = w.spec.getPresharedKey();
        if (psk != null && PresharedKeySpec.SECRET.equals(psk.getMode()) && psk.getSecretRef() != null) {
            KeyRead read = readUserKey(secrets, w.peer.getMetadata().getNamespace(), psk.getSecretRef(), Labels.PRESHARED_KEY,
                    "spec.presharedKey.secretRef");
            if (read.problem() != null) {
                w.problems.add(read.problem());
            }
        }
        return publicKey;
    }

    /** The private key in the user's Secret, or null with a problem added; KeyMismatch when it is not spec.publicKey's. */
    private String userPrivateKey(PeerWork w, SecretLookup secrets, SecretKeyRef ref) {
        KeyRead read = readUserKey(secrets, w.peer.getMetadata().getNamespace(), ref, Labels.PRIVATE_KEY, "spec.privateKeySecretRef");
        if (read.problem() != null) {
            w.problems.add(read.problem());
            return null;
        }
        String publicKey = w.spec.getPublicKey();
        String derived = publicKeys.publicKeyOf(read.key());
        if (publicKey != null && !publicKey.equals(derived)) {
            w.problems.add(new Problem(Reasons.KEY_MISMATCH, "spec.publicKey",
                    "Private key does not match with the public key: spec.publicKey is " + publicKey
                            + " but the private key in Secret " + ref.getName() + " belongs to " + derived
                            + ". Fix one of them or remove spec.publicKey."));
        }
        return read.key();
    }

    private String presharedKey(PeerWork w, SecretLookup secrets, Optional<SecretLookup.SecretState> managed) {
        PresharedKeySpec psk = w.spec.getPresharedKey();
        String mode = psk == null || psk.getMode() == null ? PresharedKeySpec.GENERATED : psk.getMode();
        if (PresharedKeySpec.SECRET.equals(mode) && psk.getSecretRef() != null) {
            KeyRead read = readUserKey(secrets, w.peer.getMetadata().getNamespace(), psk.getSecretRef(), Labels.PRESHARED_KEY,
                    "spec.presharedKey.secretRef");
            if (read.problem() != null) {
                w.problems.add(read.problem());
                return null;
            }
            return read.key();
        }
        if (PresharedKeySpec.GENERATED.equals(mode)) {
            return kept(managed, Labels.PRESHARED_KEY).orElseGet(keys::generatePresharedKey);
        }
        return null;
    }

    /** A valid key the operator wrote into the peer's Secret earlier. */
    private static Optional<String> kept(Optional<SecretLookup.SecretState> managed, String dataKey) {
        return managed.map(s -> unb64(s.data().get(dataKey))).filter(WireGuardKeys::isValid);
    }

    private static KeyRead readUserKey(SecretLookup secrets, String namespace, SecretKeyRef ref, String defaultKey, String field) {
        String dataKey = ref.keyOr(defaultKey);
        Optional<SecretLookup.SecretState> secret = secrets.find(namespace, ref.getName());
        if (secret.isEmpty()) {
            return new KeyRead(null, new Problem(Reasons.KEY_SECRET_NOT_FOUND, field,
                    "Secret " + ref.getName() + " named in " + field + " does not exist: create it or fix the reference."));
        }
        String value = unb64(secret.get().data().get(dataKey));
        if (value == null) {
            return new KeyRead(null, new Problem(Reasons.KEY_SECRET_NOT_FOUND, field,
                    "Secret " + ref.getName() + " named in " + field + " has no key " + dataKey + "."));
        }
        if (!WireGuardKeys.isValid(value.trim())) {
            return new KeyRead(null, new Problem(Reasons.INVALID_KEY, field,
                    "The value of " + dataKey + " in Secret " + ref.getName() + " is not a WireGuard key (32 bytes, base64)."));
        }
        return new KeyRead(value.trim(), null);
    }
}
