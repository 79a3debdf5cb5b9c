package io.peerwarden.agent;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.node.DesiredState;
import io.peerwarden.core.node.NodeKeys;
import io.peerwarden.core.node.PeerMemory;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The informers' event handlers: each event is recorded in {@link PendingChanges} as what it changes (an instance,
 * one peer, or everything), and a pass is asked for when it changes anything the agent applies.
 */
final class ChangeEvents {

    private final PendingChanges pending;
    private final StatusMemory statusMemory;
    private final Runnable passWanted;

    ChangeEvents(PendingChanges pending, StatusMemory statusMemory, Runnable passWanted) {
        this.pending = pending;
        this.statusMemory = statusMemory;
        this.passWanted = passWanted;
    }

    private void changed(boolean anything) {
        if (anything) {
            passWanted.run();
        }
    }

    ResourceEventHandler<VpnInstance> onInstances() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(VpnInstance obj) {
                changed(pending.instance(ClusterView.key(obj)));
            }

            @Override
            public void onUpdate(VpnInstance oldObj, VpnInstance newObj) {
                if (!DesiredState.sameInterfaceInputs(oldObj, newObj)) {
                    changed(pending.instance(ClusterView.key(newObj)));
                }
            }

            @Override
            public void onDelete(VpnInstance obj, boolean deletedFinalStateUnknown) {
                changed(pending.instance(ClusterView.key(obj)));
            }
        };
    }

    ResourceEventHandler<VpnPeer> onPeers() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(VpnPeer obj) {
                changed(pending.peer(ClusterView.instanceOf(obj), PeerMemory.peerKey(obj)));
            }

            @Override
            public void onUpdate(VpnPeer oldObj, VpnPeer newObj) {
                String before = ClusterView.instanceOf(oldObj);
                String after = ClusterView.instanceOf(newObj);
                boolean any = pending.peer(after, PeerMemory.peerKey(newObj));
                if (before != null && !before.equals(after)) {
                    any |= pending.peer(before, PeerMemory.peerKey(oldObj));
                }
                changed(any);
            }

            @Override
            public void onDelete(VpnPeer obj, boolean deletedFinalStateUnknown) {
                statusMemory.forget(obj.getMetadata().getUid());
                changed(pending.peer(ClusterView.instanceOf(obj), PeerMemory.peerKey(obj)));
            }
        };
    }

    /** @param cluster where a changed peer entry's peer is found by UID */
    ResourceEventHandler<Secret> onNodeKeys(ClusterView cluster) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret obj) {
                changed(pending.all());
            }

            @Override
            public void onUpdate(Secret oldObj, Secret newObj) {
                changed(keysChanged(cluster, oldObj.getData(), newObj.getData()));
            }

            @Override
            public void onDelete(Secret obj, boolean deletedFinalStateUnknown) {
                changed(pending.all());
            }
        };
    }

    /**
     * A node-keys Secret changed: the peers whose entries changed are changed peers (found by UID), an instance entry
     * changes its whole instance.
     */
    private boolean keysChanged(ClusterView cluster, Map<String, String> before, Map<String, String> after) {
        Map<String, String> old = before == null ? Map.of() : before;
        Map<String, String> now = after == null ? Map.of() : after;
        Set<String> entries = new HashSet<>();
        now.forEach((entry, value) -> {
            if (!value.equals(old.get(entry))) {
                entries.add(entry);
            }
        });
        old.keySet().stream().filter(e -> !now.containsKey(e)).forEach(entries::add);
        boolean any = false;
        for (String entry : entries) {
            if (!entry.startsWith(NodeKeys.PEER_PREFIX)) {
                return pending.all();
            }
            for (VpnPeer peer : cluster.peersWithUid(entry.substring(NodeKeys.PEER_PREFIX.length()))) {
                any |= pending.peer(ClusterView.instanceOf(peer), PeerMemory.peerKey(peer));
            }
        }
        return any;
    }
}
