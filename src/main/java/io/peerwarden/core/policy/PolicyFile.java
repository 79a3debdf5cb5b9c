package io.peerwarden.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the install policy from the YAML file the chart mounts (the {@code policy:} block of the
 * values). A missing file is the defaults; anything wrong in it is an {@link InvalidPolicyException}
 * naming the field, so the operator stops at start with one line instead of running with a policy
 * the admin did not mean.
 */
public final class PolicyFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TOP = Set.of("nodeSelector", "interfacePrefix", "listenPorts", "siteSubnets",
            "podCIDRs", "serviceCIDRs");

    private PolicyFile() {
    }

    /** The policy in {@code file}; the defaults when the path is null or the file does not exist. */
    public static InstallPolicy read(Path file) {
        if (file == null) {
            return InstallPolicy.defaults();
        }
        try {
            return parse(Files.readString(file));
        } catch (NoSuchFileException e) {
            return InstallPolicy.defaults();
        } catch (IOException e) {
            throw new InvalidPolicyException("policy file " + file + " cannot be read: " + e.getMessage());
        }
    }

    public static InstallPolicy parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new InvalidPolicyException("policy file is not valid YAML: " + first);
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return InstallPolicy.defaults();
        }
        if (!root.isObject()) {
            throw new InvalidPolicyException("policy file must hold a mapping with the keys " + TOP);
        }
        unknownKeys(root, TOP, "policy");
        JsonNode subnets = root.path("siteSubnets");
        if (!subnets.isMissingNode() && !subnets.isNull()) {
            if (!subnets.isObject()) {
                throw new InvalidPolicyException("policy.siteSubnets must be a mapping with allowed and denied");
            }
            unknownKeys(subnets, Set.of("allowed", "denied"), "policy.siteSubnets");
        }
        JsonNode ports = root.path("listenPorts");
        InstallPolicy.PortRange range = null;
        if (!ports.isMissingNode() && !ports.isNull()) {
            if (!ports.isObject()) {
                throw new InvalidPolicyException("policy.listenPorts must be a mapping with min and max");
            }
            unknownKeys(ports, Set.of("min", "max"), "policy.listenPorts");
            range = new InstallPolicy.PortRange(integer(ports, "min", InstallPolicy.DEFAULT_PORTS.min()),
                    integer(ports, "max", InstallPolicy.DEFAULT_PORTS.max()));
        }
        return new InstallPolicy(labels(root.path("nodeSelector")), text(root.path("interfacePrefix"), "policy.interfacePrefix"),
                range, strings(subnets.path("allowed"), "policy.siteSubnets.allowed"),
                strings(subnets.path("denied"), "policy.siteSubnets.denied"),
                strings(root.path("podCIDRs"), "policy.podCIDRs"), strings(root.path("serviceCIDRs"), "policy.serviceCIDRs"));
    }

    private static void unknownKeys(JsonNode node, Set<String> known, String where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new InvalidPolicyException(where + "." + name.replaceAll("\\p{Cntrl}", "?") + " is not a policy field (known: "
                        + known.stream().sorted().toList() + ")");
            }
        }
    }

    private static int integer(JsonNode parent, String name, int fallback) {
        JsonNode value = parent.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new InvalidPolicyException("policy.listenPorts." + name + " must be a port number, e.g. 51830");
        }
        return value.intValue();
    }

    private static String text(JsonNode value, String field) {
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidPolicyException(field + " must be a string");
        }
        return value.textValue();
    }

    /** A list of strings; null (the default) when absent. */
    private static List<String> strings(JsonNode value, String field) {
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw new InvalidPolicyException(field + " must be a list of CIDRs");
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            result.add(text(value.get(i), field + "[" + i + "]"));
            if (result.get(i) == null) {
                throw new InvalidPolicyException(field + "[" + i + "] must be a CIDR string");
            }
        }
        return result;
    }

    private static Map<String, String> labels(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new InvalidPolicyException("policy.nodeSelector must be a mapping of node labels");
        }
        Map<String, String> result = new LinkedHashMap<>();
        value.fields().forEachRemaining(e -> {
            String field = "policy.nodeSelector." + e.getKey().replaceAll("\\p{Cntrl}", "?");
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new InvalidPolicyException(field + " must be a label value (a string)");
            }
            result.put(e.getKey(), e.getValue().asText());
        });
        return result;
    }
}
