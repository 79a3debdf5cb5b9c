package io.peerwarden.reliability;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.operator.OperatorHarness;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * The reliability scenario's resources: one instance {@code office} on {@code worker-1} with a /16 pool and
 * {@code n} client peers {@code p000...} with allocated addresses and generated keys, and the state a user
 * would compare between two runs: each peer's address, public key and conditions, the instance's counts,
 * and the Secrets the operator keeps.
 */
final class Group {

    static final String INSTANCE = "office";

    /** A peer as a user sees it. Conditions as {@code Type=Status/Reason}; the key is compared within a run only. */
    record PeerState(List<String> allowedIPs, String publicKey, String configSecretName, TreeSet<String> conditions) {
    }

    /** The whole group: peers by name, the instance's summary, and per Secret name what it holds. */
    record State(TreeMap<String, PeerState> peers, String instance, TreeMap<String, String> secretKeys) {

        /** What must be equal between a run with faults and one without: everything but the (random) keys. */
        State withoutKeys() {
            TreeMap<String, PeerState> stripped = new TreeMap<>();
            peers.forEach((name, p) -> stripped.put(name, new PeerState(p.allowedIPs(), null, p.configSecretName(), p.conditions())));
            TreeMap<String, String> names = new TreeMap<>();
            secretKeys.keySet().forEach(n -> names.put(n, ""));
            return new State(stripped, instance, names);
        }
    }

    /** What differs between two states, one line per peer (or the instance, or the Secrets' names). */
    static List<String> differences(State expected, State actual) {
        List<String> result = new java.util.ArrayList<>();
        java.util.Set<String> names = new TreeSet<>(expected.peers().keySet());
        names.addAll(actual.peers().keySet());
        for (String name : names) {
            if (!java.util.Objects.equals(expected.peers().get(name), actual.peers().get(name))) {
                result.add(name + ": expected " + expected.peers().get(name) + " but was " + actual.peers().get(name));
            }
        }
        if (!expected.instance().equals(actual.instance())) {
            result.add("instance: expected " + expected.instance() + " but was " + actual.instance());
        }
        if (!expected.secretKeys().keySet().equals(actual.secretKeys().keySet())) {
            result.add("Secrets: expected " + expected.secretKeys().keySet() + " but was " + actual.secretKeys().keySet());
        }
        return result;
    }

    private Group() {
    }

    static String peerName(int i) {
        return String.format("p%03d", i);
    }

    static void createInstance(KubernetesClient admin, String namespace) {
        VpnInstance instance = OperatorHarness.instance(INSTANCE, "10.40.0.1/16");
        instance.getMetadata().setNamespace(namespace);
        admin.resource(instance).create();
    }

    /**
     * One after the other, so that creation order is name order: seniority (creationTimestamp, then name)
     * and with it every allocated address is then the same in every run, whatever the operator does meanwhile.
     */
    static void createPeers(KubernetesClient admin, String namespace, int n) {
        IntStream.range(0, n).forEach(i -> {
            VpnPeer peer = OperatorHarness.peer(peerName(i), INSTANCE, "client");
            peer.getMetadata().setNamespace(namespace);
            admin.resource(peer).create();
        });
    }

    static List<VpnPeer> peers(KubernetesClient admin, String namespace) {
        return admin.resources(VpnPeer.class).inNamespace(namespace).list().getItems();
    }

    /** Every one of the {@code n} peers rendered for its generation, and the instance counting all of them. */
    static boolean converged(KubernetesClient admin, String namespace, int n) {
        List<VpnPeer> peers = peers(admin, namespace);
        VpnInstance instance = admin.resources(VpnInstance.class).inNamespace(namespace).withName(INSTANCE).get();
        return peers.size() == n && peers.stream().allMatch(OperatorHarness.rendered())
                && instance != null && instance.getStatus() != null && instance.getStatus().getPeers() != null
                && instance.getStatus().getPeers().getTotal() == n
                && instance.getMetadata().getGeneration().equals(instance.getStatus().getObservedGeneration());
    }

    static State state(KubernetesClient admin, String namespace) {
        TreeMap<String, PeerState> peers = new TreeMap<>();
        for (VpnPeer peer : peers(admin, namespace)) {
            TreeSet<String> conditions = new TreeSet<>();
            if (peer.getStatus() != null) {
                peer.getStatus().getConditions().forEach(c -> conditions.add(c.getType() + "=" + c.getStatus() + "/" + c.getReason()));
            }
            peers.put(peer.getMetadata().getName(), peer.getStatus() == null ? new PeerState(null, null, null, conditions)
                    : new PeerState(peer.getStatus().getAllowedIPs(), peer.getStatus().getPublicKey(),
                    peer.getStatus().getConfigSecretName(), conditions));
        }
        VpnInstance instance = admin.resources(VpnInstance.class).inNamespace(namespace).withName(INSTANCE).get();
        String summary = instance == null || instance.getStatus() == null ? "no status" : summary(instance);
        TreeMap<String, String> secrets = new TreeMap<>();
        for (Secret secret : admin.secrets().inNamespace(namespace).withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                .list().getItems()) {
            Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
            secrets.put(secret.getMetadata().getName(), held(data.get(Labels.PRIVATE_KEY), data.get(Labels.PRESHARED_KEY),
                    secret.getMetadata().getAnnotations() == null ? null : secret.getMetadata().getAnnotations().get(Labels.ALLOWED_IPS_ANNOTATION)));
        }
        return new State(peers, summary, secrets);
    }

    /** What a Secret holds, as compared: digests of its keys (never the keys, which a failed assertion would print) and its address. */
    static String held(String privateKey, String presharedKey, String allowedIps) {
        return digest(privateKey) + "|" + digest(presharedKey) + "|" + allowedIps;
    }

    static String held(io.peerwarden.testing.SecretHistory.Held first) {
        return held(first.privateKey(), first.presharedKey(), first.allowedIps());
    }

    private static String digest(String value) {
        if (value == null) {
            return "none";
        }
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String summary(VpnInstance instance) {
        TreeSet<String> conditions = new TreeSet<>();
        instance.getStatus().getConditions().forEach(c -> conditions.add(c.getType() + "=" + c.getStatus() + "/" + c.getReason()));
        StringBuilder text = new StringBuilder("publicKey=" + (instance.getStatus().getPublicKey() != null));
        if (instance.getStatus().getPeers() != null) {
            text.append(" peers=").append(instance.getStatus().getPeers().getTotal()).append("/")
                    .append(instance.getStatus().getPeers().getReady());
        }
        if (instance.getStatus().getPool() != null) {
            instance.getStatus().getPool().forEach(p -> text.append(" pool ").append(p.getCidr()).append(" allocated=").append(p.getAllocated()));
        }
        return text.append(" ").append(conditions).toString();
    }
}
