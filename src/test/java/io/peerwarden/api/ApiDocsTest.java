package io.peerwarden.api;

import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.core.seedapi.SeedErrors;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Every error code the API answers has the section its doc_url points to in docs/api.md, and every section is a code. */
class ApiDocsTest {

    private static Set<String> constants(Class<?> type) throws IllegalAccessException {
        Set<String> out = new HashSet<>();
        for (Field field : type.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                out.add((String) field.get(null));
            }
        }
        return out;
    }

    @Test
    void everyErrorCodeHasASectionItsDocUrlPointsTo() throws IOException, IllegalAccessException {
        Set<String> anchors = Files.readAllLines(Path.of("docs/api.md")).stream().filter(l -> l.startsWith("### "))
                .map(l -> l.substring(4).strip()).collect(Collectors.toSet());
        Set<String> codes = new HashSet<>(constants(SeedErrors.class));
        codes.addAll(SeedErrors.schemaReasons());
        codes.addAll(SeedErrors.wgDashboardMessages().keySet());
        // what the webhook refuses at apply (crd-reference.md) and what the settle wait reports
        codes.addAll(Set.of(Reasons.ALLOWED_IP_TAKEN, Reasons.KEY_MISMATCH, Reasons.INVALID_KEY, Reasons.PUBLIC_KEY_TAKEN,
                Reasons.NOT_ALLOWED, Reasons.SUBNET_NOT_ALLOWED, Reasons.INVALID_ACCESS_RULE, Reasons.WG_SET_FAILED,
                Reasons.INSTANCE_NOT_FOUND, Reasons.INTERNAL_ERROR, Reasons.INVALID_ALLOWED_IPS));
        assertThat(anchors).containsAll(codes);
        Set<String> known = new HashSet<>(constants(Reasons.class));
        known.addAll(constants(SeedErrors.class));
        assertThat(known).as("every section is a code").containsAll(anchors);
        assertThat(Answers.docUrl(Answers.DEFAULT_DOC_BASE, "AllowedIPTaken")).endsWith("docs/api.md#allowediptaken");
        assertThat(anchors.stream().map(a -> a.toLowerCase(Locale.ROOT)).distinct().count()).isEqualTo(anchors.size());
    }
}
