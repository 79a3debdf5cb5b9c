package io.peerwarden.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** values.schema.json rejects typos and bad values before anything reaches the cluster. */
class ValuesSchemaTest {

    private static final Path SCHEMA = ChartRenderer.CHART.resolve("values.schema.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown top-level key        | replicaCount: 2",
            "unknown key under operator   | 'operator: {replica: 2}'",
            "unknown key under agent      | 'agent: {privileged: true}'",
            "unknown key under metrics    | 'metrics: {serviceMonitor: {enable: true}}'",
            "bad pull policy              | 'image: {pullPolicy: Sometimes}'",
            "zero replicas                | 'operator: {replicas: 0}'",
            "bad log level                | 'operator: {logLevel: verbose}'",
            "bad service type             | 'metrics: {service: {type: Ingress}}'",
            "port out of range            | 'metrics: {service: {port: 70000}}'",
            "leader election not a bool   | 'operator: {leaderElection: {enabled: maybe}}'",
            "bad namespace name           | 'watchNamespaces: [Team_A]'",
            "bad toleration effect        | 'agent: {tolerations: [{key: a, operator: Exists, effect: Sometimes}]}'",
            "bad quantity                 | 'operator: {resources: {limits: {memory: lots}}}'",
    })
    void helmTemplateFailsOnBadValues(String what, String values) {
        assertThatThrownBy(() -> ChartRenderer.render(values)).as(what)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("values don't meet the specifications of the schema");
    }

    @Test
    void moreThanOneReplicaWithoutLeaderElectionIsRefusedWithAReason() {
        assertThatThrownBy(() -> ChartRenderer.render("operator: {replicas: 2, leaderElection: {enabled: false}}"))
                .hasMessageContaining("needs operator.leaderElection.enabled=true");
    }

    @Test
    void serviceMonitorWithoutServiceIsRefusedWithAReason() {
        assertThatThrownBy(() -> ChartRenderer.render("metrics: {service: {enabled: false}, serviceMonitor: {enabled: true}}"))
                .hasMessageContaining("needs metrics.service.enabled=true");
    }

    @Test
    void defaultValuesAreValidAgainstTheSchema() throws IOException {
        JsonNode values = new ObjectMapper(new YAMLFactory()).readTree(ChartRenderer.CHART.resolve("values.yaml").toFile());

        assertThat(schema().validate(values)).isEmpty();
    }

    @Test
    void everyObjectOfTheSchemaForbidsUnknownKeysAndEveryPropertyIsDescribed() throws IOException {
        JsonNode root = JSON.readTree(SCHEMA.toFile());
        List<String> problems = new ArrayList<>();
        walk("", root, problems);
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("definitions").fields(); it.hasNext(); ) {
            var def = it.next();
            walk("#/definitions/" + def.getKey(), def.getValue(), problems);
        }

        assertThat(problems).isEmpty();
    }

    private static void walk(String path, JsonNode node, List<String> problems) {
        if (node.has("properties")) {
            if (!node.path("additionalProperties").isBoolean() || node.get("additionalProperties").asBoolean()) {
                problems.add(path + ": additionalProperties must be false");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.get("properties").fields(); it.hasNext(); ) {
                var property = it.next();
                JsonNode value = property.getValue();
                if (!value.has("description") && !value.has("$ref")) {
                    problems.add(path + "." + property.getKey() + ": no description");
                }
                walk(path + "." + property.getKey(), value, problems);
            }
        }
        if (node.has("items")) {
            walk(path + "[]", node.get("items"), problems);
        }
    }

    private static JsonSchema schema() throws IOException {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(Files.readString(SCHEMA));
    }
}
