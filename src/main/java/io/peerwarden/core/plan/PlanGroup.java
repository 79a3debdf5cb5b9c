package io.peerwarden.core.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.policy.PolicyChecks;
import io.peerwarden.core.status.ConditionState;

import java.util.List;
import java.util.Map;

/**
 * The instance-level decisions of one plan, everything a peer's plan reads besides the peer itself and its
 * Secrets, and their {@link #fingerprint}: two plans whose fingerprints are equal decide every unchanged
 * peer alike, which is what lets {@link PlanMemory} carry a plan over to the next one.
 */
record PlanGroup(PlanContext context, ConditionState accepted, KeyResolution.InstanceKey key, Integer listenPort,
                 String interfaceName, PolicyChecks.SiteSubnets siteRules, List<VpnPeer> neighbours, Fingerprint fingerprint) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What decided the instance-level part: the instance's identity, generation and spec, and every output
     * of the instance steps (key, node, endpoint, port, problems), the nodes' pod CIDRs (site subnet rules)
     * and the neighbour sites of other instances on the node (they take part in the collision check).
     * No private key: the public key stands for it.
     */
    record Fingerprint(String uid, String namespace, String name, String created, Long generation, String spec,
                       String publicKey, ConditionState keyReady, boolean keyToCreate, ConditionState accepted,
                       ConditionState problem, String nodeName, String endpoint, Integer listenPort, String interfaceName,
                       Map<String, List<String>> podCIDRs, List<List<Object>> neighbours) {
    }

    static PlanGroup of(PlanContext context, ConditionState accepted, KeyResolution.InstanceKey key, Integer listenPort,
                        String interfaceName, PolicyChecks.SiteSubnets siteRules, List<VpnPeer> neighbours,
                        Map<String, List<String>> podCIDRs) {
        var meta = context.instance().getMetadata();
        String spec;
        try {
            spec = JSON.writeValueAsString(context.spec());
        } catch (JsonProcessingException e) {
            spec = null; // never equal to a later plan's: that plan is a full one
        }
        List<List<Object>> sites = neighbours.stream().map(n -> List.<Object>of(Seniority.key(n),
                String.valueOf(n.getMetadata().getCreationTimestamp()), String.valueOf(n.getSpec().getSubnets()),
                String.valueOf(n.getSpec().getInstanceRef().getName()))).toList();
        Fingerprint fingerprint = spec == null ? null : new Fingerprint(meta.getUid(), meta.getNamespace(), meta.getName(),
                meta.getCreationTimestamp(), meta.getGeneration(), spec, key.publicKey(), key.condition(), key.toCreate() != null,
                accepted, context.problem(), context.nodeName(), context.endpoint(), listenPort, interfaceName, podCIDRs, sites);
        return new PlanGroup(context, accepted, key, listenPort, interfaceName, siteRules, neighbours, fingerprint);
    }
}
