package io.peerwarden.core.plan;

import java.util.Map;

/** What the planner needs of a cluster node to place an instance. */
public record NodeInfo(String name, Map<String, String> labels) {
}
