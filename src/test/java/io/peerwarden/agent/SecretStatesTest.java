package io.peerwarden.agent;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class SecretStatesTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void stringDataCountsOnlyWhereDataHasNoEntryForTheKey() {
        var secret = new SecretBuilder().withNewMetadata().withName("k").endMetadata()
                .addToData("privateKey", b64("from-data"))
                .addToStringData("privateKey", "from-string-data")
                .addToStringData("presharedKey", "psk").build();

        var state = SecretStates.of(secret);

        assertThat(state.data()).containsEntry("privateKey", b64("from-data")).containsEntry("presharedKey", b64("psk"));
    }
}
