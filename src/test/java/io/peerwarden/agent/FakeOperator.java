package io.peerwarden.agent;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.InstanceRef;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.core.node.NodeKeys;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.status.PeerReadiness;
import io.peerwarden.kube.StatusUpdates;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays the operator against the CRUD mock: creates instances, peers and their Secrets and writes the operator's
 * part of their status, the way the real operator does (through {@link StatusUpdates}).
 */
final class FakeOperator implements AutoCloseable {

    static final String NS = "default";
    final KubernetesMockServer server;
    final KubernetesClient client;
    /** The namespace this one creates and reads objects in. */
    final String ns;
    private final boolean owner;
    private final Clock clock = Clock.systemUTC();

    FakeOperator() {
        this(new KubernetesCrudDispatcher());
    }

    /** With a dispatcher of the test's own (e.g. one refusing some requests). */
    FakeOperator(KubernetesCrudDispatcher dispatcher) {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        client = server.createClient();
        ns = NS;
        owner = true;
        for (String crd : List.of("vpninstances.vpn.peerwarden.io-v1.yml", "vpnpeers.vpn.peerwarden.io-v1.yml")) {
            client.apiextensions().v1().customResourceDefinitions()
                    .load(new File("target/classes/META-INF/fabric8/" + crd)).create();
        }
    }

    private FakeOperator(FakeOperator of, String namespace) {
        server = of.server;
        client = of.client;
        ns = namespace;
        owner = false;
    }

    /** The same API server, creating and reading in another namespace; closing the view closes nothing. */
    FakeOperator inNamespace(String namespace) {
        return new FakeOperator(this, namespace);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    VpnInstance instance(String name, String node, String interfaceName, List<String> address, int port, TestKeys key) {
        client.secrets().inNamespace(ns).resource(new SecretBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(Labels.instanceKeySecretName(name)).withNamespace(ns)
                        .withLabels(Map.of(Labels.COMPONENT, Labels.COMPONENT_INSTANCE_KEY, Labels.INSTANCE, name)).build())
                .withData(Map.of(Labels.PRIVATE_KEY, b64(key.privateKey()), Labels.PUBLIC_KEY, b64(key.publicKey()))).build()).create();
        VpnInstance instance = new VpnInstance();
        instance.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        VpnInstanceSpec spec = new VpnInstanceSpec();
        spec.setAddress(address);
        spec.setListenPort(port);
        spec.setInterfaceName(interfaceName);
        spec.setNodeName(node);
        instance.setSpec(spec);
        VpnInstance created = client.resources(VpnInstance.class).inNamespace(ns).resource(instance).create();
        publish(node, NodeKeys.instanceEntry(created.getMetadata().getUid()), key.privateKey());
        return StatusUpdates.update(client, created, VpnInstance.class, s -> {
            s.setNodeName(node);
            s.setPublicKey(key.publicKey());
            s.setObservedGeneration(created.getMetadata().getGeneration());
            s.setConditions(Conditions.with(s.getConditions(), ConditionTypes.KEY_READY, Conditions.TRUE, Reasons.KEY_FROM_SECRET,
                    "The server key is ready.", created.getMetadata().getGeneration(), clock));
            // the operator accepted it for the node (the agent applies only accepted instances)
            s.setConditions(Conditions.with(s.getConditions(), ConditionTypes.ACCEPTED, Conditions.TRUE, Reasons.ACCEPTED,
                    "Accepted.", created.getMetadata().getGeneration(), clock));
            return s;
        }).orElseThrow();
    }

    /** A valid peer as the operator leaves it: conditions True, public key, allowed IPs, config Secret with a PSK. */
    VpnPeer peer(String name, String instance, String publicKey, List<String> allowedIps, String psk, VpnPeerSpec spec) {
        Map<String, String> data = new HashMap<>();
        data.put(Labels.CONFIG, b64("[Interface]\n# rendered by the operator\n"));
        if (psk != null) {
            data.put(Labels.PRESHARED_KEY, b64(psk));
        }
        client.secrets().inNamespace(ns).resource(new SecretBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(Labels.peerConfigSecretName(name)).withNamespace(ns)
                        .withLabels(Map.of(Labels.COMPONENT, Labels.COMPONENT_PEER_CONFIG, Labels.INSTANCE, instance, Labels.PEER, name)).build())
                .withData(data).build()).create();
        // a namespace the caller set (an instance of another namespace) is kept
        spec.setInstanceRef(new InstanceRef(instance, spec.getInstanceRef() == null ? null : spec.getInstanceRef().getNamespace()));
        VpnPeer peer = new VpnPeer();
        peer.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        peer.setSpec(spec);
        VpnPeer created = client.resources(VpnPeer.class).inNamespace(ns).resource(peer).create();
        String instanceNamespace = spec.getInstanceRef().namespaceOr(ns);
        VpnInstance owner = client.resources(VpnInstance.class).inNamespace(instanceNamespace).withName(instance).get();
        if (owner != null) {
            publish(owner.scheduledNode(), NodeKeys.peerEntry(created.getMetadata().getUid()), psk == null ? "" : psk);
        }
        Long generation = created.getMetadata().getGeneration();
        return StatusUpdates.update(client, created, VpnPeer.class, s -> {
            s.setPublicKey(publicKey);
            s.setAllowedIPs(allowedIps);
            s.setConfigSecretName(Labels.peerConfigSecretName(name));
            s.setObservedGeneration(generation);
            var c = Conditions.with(s.getConditions(), ConditionTypes.VALID, Conditions.TRUE, Reasons.VALID, "The spec is valid.", generation, clock);
            c = Conditions.with(c, ConditionTypes.ADDRESS_ASSIGNED, Conditions.TRUE, Reasons.ALLOCATED, "Allocated " + allowedIps + ".", generation, clock);
            c = Conditions.with(c, ConditionTypes.CONFIG_RENDERED, Conditions.TRUE, Reasons.RENDERED, "The config Secret is rendered.", generation, clock);
            c = Conditions.with(c, ConditionTypes.APPLIED, Conditions.UNKNOWN, Reasons.WAITING_FOR_AGENT, "Waiting for the node agent.", generation, clock);
            s.setConditions(PeerReadiness.withReady(c, generation, clock));
            return s;
        }).orElseThrow();
    }

    /**
     * Publishes one entry for the node's agent, as the operator does ({@link NodeKeys}): into a Secret of the node's
     * in the client's namespace, which is where the agent under test reads them.
     */
    void publish(String node, String entry, String value) {
        String name = "fake-keys-" + node;
        var secrets = client.secrets().inNamespace(client.getNamespace());
        Secret existing = secrets.withName(name).get();
        if (existing == null) {
            Map<String, String> labels = new HashMap<>(NodeKeys.selector(node));
            labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
            secrets.resource(new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName(name).withLabels(labels).build())
                    .withData(Map.of(entry, b64(value))).build()).create();
        } else {
            secrets.withName(name).edit(s -> {
                s.getData().put(entry, b64(value));
                return s;
            });
        }
    }

    /** Takes an entry back, as if the operator had not published it yet. */
    void unpublish(String node, String entry) {
        client.secrets().inNamespace(client.getNamespace()).withName("fake-keys-" + node).edit(s -> {
            s.getData().remove(entry);
            return s;
        });
    }

    /** The operator's own condition change (e.g. re-rendered, or a collision), written as the operator would. */
    void operatorCondition(String peer, String type, String status, String reason, String message) {
        VpnPeer current = client.resources(VpnPeer.class).inNamespace(ns).withName(peer).get();
        StatusUpdates.update(client, current, VpnPeer.class, s -> {
            var c = Conditions.with(s.getConditions(), type, status, reason, message, current.getMetadata().getGeneration(), clock);
            s.setConditions(PeerReadiness.withReady(c, s.getObservedGeneration(), clock));
            return s;
        });
    }

    VpnPeer get(String peer) {
        return client.resources(VpnPeer.class).inNamespace(ns).withName(peer).get();
    }

    VpnInstance getInstance(String name) {
        return client.resources(VpnInstance.class).inNamespace(ns).withName(name).get();
    }

    Secret secret(String name) {
        return client.secrets().inNamespace(ns).withName(name).get();
    }

    static VpnPeerSpec client() {
        VpnPeerSpec spec = new VpnPeerSpec();
        spec.setType("client");
        return spec;
    }

    static VpnPeerSpec site(List<String> subnets, String endpoint, Integer keepalive) {
        VpnPeerSpec spec = new VpnPeerSpec();
        spec.setType("site");
        spec.setSubnets(subnets);
        spec.setEndpoint(endpoint);
        spec.setPersistentKeepalive(keepalive);
        return spec;
    }

    @Override
    public void close() {
        if (!owner) {
            return;
        }
        client.close();
        server.destroy();
    }
}
