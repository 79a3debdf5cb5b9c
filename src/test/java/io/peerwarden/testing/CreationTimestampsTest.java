package io.peerwarden.testing;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CreationTimestampsTest {

    private static final Instant CREATED = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void waitsUntilTheSecondTurnsAndNoLonger() {
        TestClock clock = TestClock.ticking(CREATED.plusMillis(500), Duration.ofMillis(200));
        CreationTimestamps.awaitSecondAfter(secretCreatedAt(CREATED), clock);
        // 10:00:00.5, .7, .9 are still the creation second; 10:00:01.1 is the first reading past it
        assertThat(clock.readings()).isEqualTo(4);
    }

    @Test
    void returnsAtOnceWhenTheSecondHasAlreadyTurned() {
        TestClock clock = TestClock.ticking(CREATED.plusSeconds(5), Duration.ZERO);
        CreationTimestamps.awaitSecondAfter(secretCreatedAt(CREATED), clock);
        assertThat(clock.readings()).isEqualTo(1);
    }

    @Test
    void anObjectWithoutATimestampIsAMistakeInTheTest() {
        assertThatThrownBy(() -> CreationTimestamps.awaitSecondAfter(new SecretBuilder().withNewMetadata().withName("s").endMetadata().build()))
                .hasMessageContaining("no creationTimestamp");
    }

    private static io.fabric8.kubernetes.api.model.Secret secretCreatedAt(Instant created) {
        return new SecretBuilder().withNewMetadata().withName("s").withCreationTimestamp(created.toString()).endMetadata().build();
    }

}
