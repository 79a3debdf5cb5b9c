package io.peerwarden.core.plan;

/**
 * What the planner keeps of one instance between its plans, so that a plan of a few changed peers
 * ({@link PeerChanges#only}) decides exactly what a plan of every peer would, without redoing the others.
 * One per instance (by UID), kept by the caller; not thread-safe (JOSDK never reconciles one instance
 * twice at once). A caller that is unsure of what it holds drops it: a new one makes the next plan a full one.
 */
public final class PlanMemory {

    /** The number of peers remembered. */
    public int size() {
        return 0;
    }
}
