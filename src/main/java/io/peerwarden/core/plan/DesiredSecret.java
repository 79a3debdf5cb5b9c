package io.peerwarden.core.plan;

import java.util.Map;

/**
 * A Secret the operator creates and maintains, as it should be. Values in {@code data} are base64, as stored, so
 * the adapter compares them with what is there and writes only on a difference.
 *
 * @param ownerPeer name of the VpnPeer owning it (config Secrets) or null (the instance key Secret, which no one owns:
 *                  it outlives its instance, so a re-created instance keeps its server key)
 * @param createOnly never update an existing Secret of this name (generated keys are written once)
 */
public record DesiredSecret(String namespace, String name, Map<String, String> labels, Map<String, String> annotations,
                            Map<String, String> data, String ownerPeer, boolean createOnly) {
}
