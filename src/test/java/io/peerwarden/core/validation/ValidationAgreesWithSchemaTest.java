package io.peerwarden.core.validation;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.peerwarden.api.v1alpha1.Formats;
import io.peerwarden.testing.SpecValidationCases;
import io.peerwarden.testing.SpecValidationCases.Case;
import io.peerwarden.testing.SpecValidationCases.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's validation gives every case of the spec validation table the verdict the API
 * server gives it ({@code CrdSchemaRealApiIT} proves the server's side on a real kube-apiserver):
 * what {@code kubectl apply} refuses, the operator reports with the row's reason, and what the
 * server accepts, the operator accepts. Also: the table has a rejected case for every constraint the
 * CRDs declare, so a new schema rule cannot go untested.
 */
class ValidationAgreesWithSchemaTest {

    private final PeerSpecValidator peers = new PeerSpecValidator();
    private final InstanceSpecValidator instances = new InstanceSpecValidator();

    static List<Case> cases() {
        return SpecValidationCases.all();
    }

    private List<Problem> validate(Case c) {
        // no pools: like the schema, judge the object on its own (pool membership needs the instance)
        return c.kind().equals("VpnPeer") ? peers.validate(c.asPeer().getSpec(), List.of()) : instances.validate(c.asInstance().getSpec());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theOperatorGivesEveryCaseTheApiServersVerdict(Case c) {
        List<Problem> problems = validate(c);

        if (c.verdict() == Verdict.ACCEPTED || c.serverOnly() != null) {
            // a server-only rule (object names, transitions) leaves the spec itself valid
            assertThat(problems).as("operator's problems with %s", c).isEmpty();
        } else {
            assertThat(problems).as("operator's problems with %s", c)
                    .anySatisfy(p -> {
                        assertThat(p.reason()).isEqualTo(c.reason());
                        assertThat(p.field()).startsWith(c.field());
                        assertThat(p.message()).contains(c.field());
                    });
        }
        // a condition message and its Event stay one line whatever the bad value held
        assertThat(problems).allSatisfy(p -> assertThat(Formats.matches(Formats.SINGLE_LINE_TEXT, p.message()))
                .as("one line: %s", p.message()).isTrue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyCaseSaysWhatTheUserSees(Case c) {
        switch (c.verdict()) {
            case ACCEPTED -> assertThat(c.server()).as("%s: no message for an accepted case", c).isNull();
            case REJECTED -> {
                assertThat(c.server()).as("%s: the API server's message", c).isNotBlank();
                assertThat(c.reason() != null || c.serverOnly() != null).as("%s: the operator's reason, or why only the server judges it", c).isTrue();
            }
            case OPERATOR_REPORTS -> assertThat(c.reason()).as("%s: the operator's reason", c).isNotBlank();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"vpninstances.vpn.peerwarden.io-v1.yml", "vpnpeers.vpn.peerwarden.io-v1.yml"})
    void everyConstraintOfTheCrdHasARejectedCase(String file) throws IOException {
        CustomResourceDefinition crd;
        try (InputStream in = Files.newInputStream(Path.of("crds", file))) {
            crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
        }
        String kind = crd.getSpec().getNames().getKind();
        List<String> messages = SpecValidationCases.of(kind).stream()
                .filter(c -> c.verdict() == Verdict.REJECTED).map(Case::server).toList();
        List<String> constraints = new ArrayList<>();
        collect("spec", crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec"), constraints);

        List<String> untested = constraints.stream().filter(constraint -> messages.stream().noneMatch(m ->
                m.startsWith(constraint.substring(0, constraint.indexOf('|'))) && m.contains(constraint.substring(constraint.indexOf('|') + 1))))
                .toList();

        assertThat(constraints).isNotEmpty();
        assertThat(untested).as("constraints of the %s CRD without a rejected case in %s (message start|message part)", kind,
                SpecValidationCases.RESOURCE).isEmpty();
    }

    /**
     * Each constraint as "message start|message part" the API server's message for it has: the
     * field path, then what kube-apiserver says for that kind of constraint (or the CEL rule's message).
     */
    private static void collect(String path, JSONSchemaProps schema, List<String> out) {
        if (schema.getPattern() != null) {
            out.add(path + ": Invalid value: |should match");
        }
        if (schema.getMinimum() != null) {
            out.add(path + ": Invalid value: |should be greater than or equal to " + schema.getMinimum().intValue());
        }
        if (schema.getMaximum() != null) {
            out.add(path + ": Invalid value: |should be less than or equal to " + schema.getMaximum().intValue());
        }
        if (schema.getMinLength() != null) {
            out.add(path + ": Invalid value: |should be at least " + schema.getMinLength() + " chars long");
        }
        if (schema.getMaxLength() != null) {
            out.add(path + ": Too long: |" + schema.getMaxLength());
        }
        if (schema.getMinItems() != null) {
            out.add(path + ": Invalid value: |should have at least " + schema.getMinItems() + " items");
        }
        if (schema.getMaxItems() != null) {
            out.add(path + ": Too many: |must have at most " + schema.getMaxItems() + " items");
        }
        if (schema.getRequired() != null) {
            schema.getRequired().forEach(child -> out.add(path + "." + child + ": Required value|Required value"));
        }
        if (schema.getXKubernetesValidations() != null) {
            for (ValidationRule rule : schema.getXKubernetesValidations()) {
                out.add(path + ": Invalid value: |" + rule.getMessage());
            }
        }
        if (schema.getItems() != null && schema.getItems().getSchema() != null) {
            collect(path + "[0]", schema.getItems().getSchema(), out);
        }
        if (schema.getProperties() != null) {
            for (Map.Entry<String, JSONSchemaProps> property : schema.getProperties().entrySet()) {
                collect(path + "." + property.getKey(), property.getValue(), out);
            }
        }
    }
}
