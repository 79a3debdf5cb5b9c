package io.peerwarden.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.status.PeerConditions;
import io.peerwarden.kube.StatusUpdates;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Looks after the peers no instance reconcile can reach: those whose {@code instanceRef} names a
 * VpnInstance that does not exist. They get {@code Valid=False, InstanceNotFound}; their keys,
 * Secret and recorded address are left alone, so creating the instance later (or fixing the
 * reference) brings them back unchanged. Peers of an existing instance are the
 * {@link VpnInstanceReconciler}'s, and this reconciler does nothing for them.
 */
@ControllerConfiguration(name = OrphanPeerReconciler.NAME)
public class OrphanPeerReconciler implements Reconciler<VpnPeer> {

    public static final String NAME = "vpnpeer-orphans";
    private static final String PEERS_BY_INSTANCE = "peersByInstance";

    private final KubernetesClient client;
    private final Clock clock;
    private final OperatorMetrics metrics;
    private InformerEventSource<VpnInstance, VpnPeer> instanceSource;

    public OrphanPeerReconciler(KubernetesClient client, Clock clock, OperatorMetrics metrics) {
        this.client = client;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public List<EventSource<?, VpnPeer>> prepareEventSources(EventSourceContext<VpnPeer> context) {
        IndexerResourceCache<VpnPeer> peers = context.getPrimaryCache();
        peers.addIndexers(Map.of(PEERS_BY_INSTANCE, peer -> {
            String instance = PeerToInstanceMapper.instanceKeyOf(peer);
            return instance == null ? List.of() : List.of(instance);
        }));
        instanceSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(VpnInstance.class, VpnPeer.class)
                .withName("instances")
                .withSecondaryToPrimaryMapper(instance -> peers.byIndex(PEERS_BY_INSTANCE,
                                VpnInstanceReconciler.key(instance.getMetadata().getNamespace(), instance.getMetadata().getName()))
                        .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        return List.of(instanceSource);
    }

    @Override
    public UpdateControl<VpnPeer> reconcile(VpnPeer peer, Context<VpnPeer> context) {
        long started = System.nanoTime();
        ResourceID instance = PeerToInstanceMapper.instanceOf(peer);
        String instanceName = instance == null ? null : instance.getName();
        String namespace = instance == null ? peer.getMetadata().getNamespace() : instance.getNamespace().orElseThrow();
        if (instance != null && instanceSource.get(instance).isPresent()) {
            return UpdateControl.noUpdate();
        }
        // this informer may lag the instance controller's (an instance and its peers applied together):
        // ask the API server before declaring the instance missing, so Valid never flaps. Rare path.
        if (instance != null && instanceExists(namespace, instanceName)) {
            return UpdateControl.noUpdate();
        }
        Long generation = peer.getMetadata().getGeneration();
        StatusUpdates.update(client, peer, VpnPeer.class, status -> {
            status.setObservedGeneration(generation);
            status.setConditions(PeerConditions.orphaned(status.getConditions(), instanceName, namespace, generation, clock));
            return status;
        }).ifPresent(written -> metrics.apiWrite("vpnpeer", "update-status"));
        metrics.reconciled(NAME, true, Duration.ofNanos(System.nanoTime() - started));
        return UpdateControl.noUpdate();
    }

    /**
     * Whether the instance exists, asked of the API server. An instance in a namespace the operator
     * may not read (namespaced RBAC, a namespace it does not watch) is one it cannot serve: missing.
     */
    private boolean instanceExists(String namespace, String name) {
        try {
            return client.resources(VpnInstance.class).inNamespace(namespace).withName(name).get() != null;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return false;
            }
            throw e;
        }
    }
}
