package io.peerwarden.core.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.core.validation.Problem;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * What a peer's operator-owned conditions say, for both operator paths: the instance reconcile
 * ({@link #planned}) and the orphan reconcile ({@link #orphaned}). {@code Applied} and
 * {@code Connected} are the agent's; {@code Ready} is summarised by {@link PeerReadiness}.
 */
public final class PeerConditions {

    /** The peer conditions the operator writes, in the order it writes them. The one list of them. */
    public static final List<String> OPERATOR_OWNED = List.of(
            ConditionTypes.VALID, ConditionTypes.ADDRESS_ASSIGNED, ConditionTypes.CONFIG_RENDERED);

    static final String NOT_RENDERED = "The config is not rendered while the peer is not valid.";
    static final String NO_ADDRESS = "No address is assigned while the peer is not valid.";

    private PeerConditions() {
    }

    /**
     * Valid, AddressAssigned and ConfigRendered of a peer the planner decided.
     *
     * @param problems        every problem found (pool exhaustion counts against AddressAssigned, not Valid)
     * @param addresses       the tunnel addresses the peer holds (possibly partial when a pool ran out)
     * @param fromSpec        the addresses are the user's spec.allowedIPs
     * @param configSecret    the Secret the config was rendered into, or null when it was not rendered
     */
    public static List<ConditionState> planned(List<Problem> problems, List<String> addresses, boolean fromSpec,
                                               String configSecret) {
        return planned(problems, addresses, fromSpec, configSecret, null);
    }

    /**
     * As {@link #planned(List, List, boolean, String)}, for a peer whose config could not be rendered.
     *
     * @param notRendered the ConfigRendered=False condition saying why (used when configSecret is null), or null
     */
    public static List<ConditionState> planned(List<Problem> problems, List<String> addresses, boolean fromSpec,
                                               String configSecret, ConditionState notRendered) {
        return planned(problems, addresses, fromSpec, configSecret, notRendered, null);
    }

    /**
     * As {@link #planned(List, List, boolean, String, ConditionState)}, for a peer of an instance that may not be Ready.
     * Valid reports only the peer's own problems, whatever the instance's state; a peer without any
     * is {@code InstanceNotReady} in AddressAssigned (when it holds none) and ConfigRendered, and so in Ready.
     *
     * @param instanceNotReady why the instance cannot carry peers, or null when it can
     */
    public static List<ConditionState> planned(List<Problem> problems, List<String> addresses, boolean fromSpec,
                                               String configSecret, ConditionState notRendered, String instanceNotReady) {
        List<ConditionState> conditions = new ArrayList<>(3);
        List<Problem> validity = problems.stream().filter(p -> !Reasons.POOL_EXHAUSTED.equals(p.reason())).toList();
        conditions.add(validity.isEmpty()
                ? ConditionState.isTrue(ConditionTypes.VALID, Reasons.VALID, "The spec is valid and its allowed IPs are free.")
                : ConditionState.failed(ConditionTypes.VALID, validity));
        Problem exhausted = problems.stream().filter(p -> Reasons.POOL_EXHAUSTED.equals(p.reason())).findFirst().orElse(null);
        if (exhausted != null) {
            conditions.add(ConditionState.isFalse(ConditionTypes.ADDRESS_ASSIGNED, Reasons.POOL_EXHAUSTED, exhausted.message()));
        } else if (!addresses.isEmpty()) {
            conditions.add(ConditionState.isTrue(ConditionTypes.ADDRESS_ASSIGNED, fromSpec ? Reasons.FROM_SPEC : Reasons.ALLOCATED,
                    "Tunnel addresses: " + String.join(", ", addresses) + "."));
        } else if (validity.isEmpty() && instanceNotReady != null) {
            conditions.add(ConditionState.isFalse(ConditionTypes.ADDRESS_ASSIGNED, Reasons.INSTANCE_NOT_READY, instanceNotReady));
        } else {
            conditions.add(ConditionState.isFalse(ConditionTypes.ADDRESS_ASSIGNED, Reasons.NOT_VALID, NO_ADDRESS));
        }
        conditions.add(configSecret != null
                ? ConditionState.isTrue(ConditionTypes.CONFIG_RENDERED, Reasons.RENDERED,
                        "The WireGuard config is in Secret " + configSecret + " (key " + Labels.CONFIG + ").")
                : notRendered != null ? notRendered
                : validity.isEmpty() && instanceNotReady != null
                ? ConditionState.isFalse(ConditionTypes.CONFIG_RENDERED, Reasons.INSTANCE_NOT_READY, instanceNotReady)
                : ConditionState.isFalse(ConditionTypes.CONFIG_RENDERED, Reasons.NOT_VALID, NOT_RENDERED));
        return conditions;
    }

    /**
     * ConfigRendered of a peer whose generated keys were lost with their deleted config Secret and generated
     * again: True (the new config works and stays on the interface), with a reason and message that say what
     * happened until the user removes {@link Labels#KEYS_REGENERATED_ANNOTATION} from the Secret.
     *
     * @param replaced the public key the new keys replace, or {@code preshared-key} when only that was generated
     */
    public static List<ConditionState> keysRegenerated(List<ConditionState> planned, String configSecret, String replaced,
                                                       String publicKey) {
        String what = "preshared-key".equals(replaced) ? "its generated preshared key, so a new one was generated"
                : "its generated private and preshared keys, so new ones were generated (public key " + replaced + " is now "
                + publicKey + ")";
        ConditionState regenerated = ConditionState.isTrue(ConditionTypes.CONFIG_RENDERED, Reasons.KEYS_REGENERATED,
                "Secret " + configSecret + " was deleted, and with it " + what + "; Peerwarden keeps no other copy. The new config"
                        + " is in Secret " + configSecret + " (key " + Labels.CONFIG + ") with the same address; the config already"
                        + " on the device no longer works: import the new one. Remove the annotation "
                        + Labels.KEYS_REGENERATED_ANNOTATION + " from Secret " + configSecret + " to clear this reason.");
        return planned.stream().map(c -> ConditionTypes.CONFIG_RENDERED.equals(c.type()) ? regenerated : c).toList();
    }

    /**
     * Writes the decided conditions, a waiting Applied while the agent has not reported one, and Ready.
     *
     * @param appliedBy where the agent that will report Applied runs, as a message says it
     */
    public static List<Condition> apply(List<Condition> conditions, List<ConditionState> decided, String appliedBy,
                                        Long generation, Clock clock) {
        for (ConditionState c : decided) {
            conditions = Conditions.with(conditions, c, generation, clock);
        }
        if (Conditions.find(conditions, ConditionTypes.APPLIED).isEmpty()) {
            conditions = Conditions.with(conditions, ConditionTypes.APPLIED, Conditions.UNKNOWN, Reasons.WAITING_FOR_AGENT,
                    "Waiting for " + appliedBy + ".", generation, clock);
        }
        return PeerReadiness.withReady(conditions, generation, clock);
    }

    /** Where the agent applying a peer runs, for the waiting Applied message. */
    public static String agentOn(String nodeName) {
        return "the node agent on " + (nodeName == null ? "its instance's node" : "node " + nodeName) + " to apply the peer";
    }

    /**
     * The conditions of a peer whose instance does not exist: not valid, not rendered; an address it
     * was given is still reported as it was (nothing is taken from it while the instance is missing).
     */
    public static List<Condition> orphaned(List<Condition> conditions, String instanceName, String namespace,
                                           Long generation, Clock clock) {
        String message = instanceName == null
                ? "spec.instanceRef.name is empty: name the VpnInstance this peer belongs to."
                : "VpnInstance " + instanceName + " does not exist in namespace " + namespace
                + ": create it or fix spec.instanceRef.name.";
        List<ConditionState> decided = new ArrayList<>();
        decided.add(ConditionState.isFalse(ConditionTypes.VALID, Reasons.INSTANCE_NOT_FOUND, message));
        decided.add(ConditionState.isFalse(ConditionTypes.CONFIG_RENDERED, Reasons.NOT_VALID, NOT_RENDERED));
        if (Conditions.find(conditions, ConditionTypes.ADDRESS_ASSIGNED).isEmpty()) {
            decided.add(ConditionState.isFalse(ConditionTypes.ADDRESS_ASSIGNED, Reasons.NOT_VALID, NO_ADDRESS));
        }
        return apply(conditions, decided, "the peer's VpnInstance to exist", generation, clock);
    }
}
