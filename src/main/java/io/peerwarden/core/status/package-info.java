/**
 * The one home of status semantics, a function of what was decided, what is there and a clock.
 * {@link io.peerwarden.core.status.Conditions} keeps a condition list ({@code lastTransitionTime}
 * moves only on a flip); {@link io.peerwarden.core.status.PeerConditions} and
 * {@link io.peerwarden.core.status.InstanceConditions} say what the operator's conditions are, with
 * the single list of the peer conditions the operator owns;
 * {@link io.peerwarden.core.status.PeerReadiness} summarises a peer's Ready for both writers;
 * {@link io.peerwarden.core.status.PeerTally} counts an instance's peers; and
 * {@link io.peerwarden.core.status.ConditionTransitions} decides which transitions become Events.
 */
package io.peerwarden.core.status;
