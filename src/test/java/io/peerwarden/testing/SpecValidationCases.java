package io.peerwarden.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The spec validation table ({@code io/peerwarden/validation/spec-validation-cases.yaml}) that both
 * the real API server test and the operator's validation test read, so each object gets one verdict
 * in one place. The file's header explains the columns.
 */
public final class SpecValidationCases {

    public static final String RESOURCE = "/io/peerwarden/validation/spec-validation-cases.yaml";
    private static final Pattern REPEAT = Pattern.compile("<<(.+?)\\*(\\d+)>>");
    private static final Pattern REPEAT_ENTRY = Pattern.compile("<<repeat (\\d+): (.+)>>");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final List<Case> ALL = load();

    /** What the API server does with a case's object at apply, and what the operator reports. */
    public enum Verdict {
        /** Both accept it. */
        ACCEPTED,
        /** The API server refuses it; the operator reports it as well. */
        REJECTED,
        /** The schema cannot decide it: the API server stores it and the operator reports it. */
        OPERATOR_REPORTS
    }

    /**
     * One row of the table.
     *
     * @param index      position in the table, which makes the default object name unique
     * @param spec       the spec to create: the kind's base spec with the row's spec merged in
     * @param update     the spec of an update after the create, or null when the row is about a create
     * @param server     for {@link Verdict#REJECTED}: a fragment of the API server's message
     * @param reason     the operator's condition reason for a rejected or reported row
     * @param field      the field the operator's problem names (a prefix of it)
     * @param serverOnly why only the API server can judge the row (its verdict is then the API server's alone)
     */
    public record Case(int index, String kind, String description, String name, Map<String, Object> spec,
                       Map<String, Object> update, Verdict verdict, String server, String reason, String field,
                       String serverOnly) {

        @Override
        public String toString() {
            return kind + ": " + description;
        }

        /** The spec the verdict is about: the update's when there is one. */
        public Map<String, Object> judgedSpec() {
            return update != null ? update : spec;
        }

        /** The object as a user would apply it, with exactly the fields the row gives. */
        public GenericKubernetesResource resource(String namespace, Map<String, Object> spec) {
            return new GenericKubernetesResourceBuilder()
                    .withApiVersion(VpnInstance.GROUP + "/" + VpnInstance.VERSION)
                    .withKind(kind)
                    .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                    .addToAdditionalProperties("spec", spec)
                    .build();
        }

        /** The judged object as the operator reads it. */
        public VpnPeer asPeer() {
            return SERIALIZATION.convertValue(resource("cases", judgedSpec()), VpnPeer.class);
        }

        /** The judged object as the operator reads it. */
        public VpnInstance asInstance() {
            return SERIALIZATION.convertValue(resource("cases", judgedSpec()), VpnInstance.class);
        }
    }

    private SpecValidationCases() {
    }

    public static List<Case> all() {
        return ALL;
    }

    public static List<Case> of(String kind) {
        return ALL.stream().filter(c -> c.kind().equals(kind)).toList();
    }

    private static List<Case> load() {
        Map<String, Object> table;
        try (InputStream in = Objects.requireNonNull(SpecValidationCases.class.getResourceAsStream(RESOURCE), RESOURCE)) {
            table = new ObjectMapper(new YAMLFactory()).readValue(in, new TypeReference<>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Map<String, Object>> bases = cast(table.get("bases"));
        List<Map<String, Object>> rows = cast(table.get("cases"));
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = cast(expand(rows.get(i)));
            String kind = (String) row.get("kind");
            Map<String, Object> base = Objects.requireNonNull(bases.get(kind), () -> "no base for kind " + kind);
            Map<String, Object> spec = merge(base, cast(row.getOrDefault("spec", Map.of())));
            Map<String, Object> update = row.containsKey("update") ? merge(spec, cast(row.get("update"))) : null;
            String name = (String) row.getOrDefault("name", "case-" + i);
            Verdict verdict = Verdict.valueOf(((String) row.get("verdict")).replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase());
            cases.add(new Case(i, kind, (String) row.get("case"), name, spec, update, verdict, (String) row.get("server"),
                    (String) row.get("reason"), (String) row.get("field"), (String) row.get("serverOnly")));
        }
        return List.copyOf(cases);
    }

    /** JSON merge patch (RFC 7386): maps merge, anything else replaces, null removes. */
    static Map<String, Object> merge(Map<String, Object> target, Map<String, Object> patch) {
        Map<String, Object> result = new LinkedHashMap<>(target);
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            if (e.getValue() == null) {
                result.remove(e.getKey());
            } else if (e.getValue() instanceof Map<?, ?> map && result.get(e.getKey()) instanceof Map<?, ?> existing) {
                result.put(e.getKey(), merge(cast(existing), cast(map)));
            } else {
                result.put(e.getKey(), e.getValue());
            }
        }
        return result;
    }

    /** Every {@code <<text*count>>} in a string (also a map key) of the row repeated, every {@code <<repeat count: entry>>} of a list copied. */
    private static Object expand(Object value) {
        if (value instanceof String text) {
            Matcher m = REPEAT.matcher(text);
            return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1).repeat(Integer.parseInt(r.group(2)))));
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put((String) expand(k), expand(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object entry : list) {
                Matcher m = entry instanceof String text ? REPEAT_ENTRY.matcher(text) : null;
                if (m != null && m.matches()) {
                    out.addAll(Collections.nCopies(Integer.parseInt(m.group(1)), m.group(2)));
                } else {
                    out.add(expand(entry));
                }
            }
            return out;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
