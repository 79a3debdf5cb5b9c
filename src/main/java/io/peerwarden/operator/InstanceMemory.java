package io.peerwarden.operator;

import io.peerwarden.core.plan.PlanMemory;

/**
 * What the reconciler keeps of one instance (by UID) between its reconciles: the planner's {@link PlanMemory}, how its
 * peers stand ({@link PeerStandings}, for the instance's peer counts) and when every peer was last planned. Dropped
 * when the instance goes or a reconcile fails, so that the next plan is a full one.
 */
final class InstanceMemory {

    final PlanMemory plan = new PlanMemory();
    final PeerStandings standings = new PeerStandings();
    /** System.nanoTime() of the last plan of every peer */
    long lastFullPlan;
    /** whether a plan of every peer has been made with this memory */
    boolean complete;
}
