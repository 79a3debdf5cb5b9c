package io.peerwarden.testing;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CreationTimestampsTest {

    private static final Instant CREATED = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void waitsUntilTheSecondTurnsAndNoLonger() {
        TickingClock clock = new TickingClock(CREATED.plusMillis(500), 200);
        CreationTimestamps.awaitSecondAfter(secretCreatedAt(CREATED), clock);
        // 10:00:00.5, .7, .9 are still the creation second; 10:00:01.1 is the first reading past it
        assertThat(clock.readings.get()).isEqualTo(4);
    }

    @Test
    void returnsAtOnceWhenTheSecondHasAlreadyTurned() {
        TickingClock clock = new TickingClock(CREATED.plusSeconds(5), 0);
        CreationTimestamps.awaitSecondAfter(secretCreatedAt(CREATED), clock);
        assertThat(clock.readings.get()).isEqualTo(1);
    }

    @Test
    void anObjectWithoutATimestampIsAMistakeInTheTest() {
        assertThatThrownBy(() -> CreationTimestamps.awaitSecondAfter(new SecretBuilder().withNewMetadata().withName("s").endMetadata().build()))
                .hasMessageContaining("no creationTimestamp");
    }

    private static io.fabric8.kubernetes.api.model.Secret secretCreatedAt(Instant created) {
        return new SecretBuilder().withNewMetadata().withName("s").withCreationTimestamp(created.toString()).endMetadata().build();
    }

    private static final class TickingClock extends Clock {
        final AtomicInteger readings = new AtomicInteger();
        private final Instant start;
        private final long stepMillis;

        TickingClock(Instant start, long stepMillis) {
            this.start = start;
            this.stepMillis = stepMillis;
        }

        @Override
        public Instant instant() {
            return start.plusMillis(stepMillis * readings.getAndIncrement());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
