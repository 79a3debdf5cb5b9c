package io.peerwarden.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.awaitility.Awaitility.await;

/**
 * creationTimestamp has second precision, and the planner ranks equal seconds by name: a test that
 * needs "created later" must create the next object in a later second than the one before. Waits only
 * as long as that takes (nothing when the second has already turned), not a fixed 1.1 s.
 */
public final class CreationTimestamps {

    private CreationTimestamps() {
    }

    /** Returns once the clock's second is past {@code earlier}'s creationTimestamp. */
    public static void awaitSecondAfter(HasMetadata earlier) {
        awaitSecondAfter(earlier, Clock.systemUTC());
    }

    static void awaitSecondAfter(HasMetadata earlier, Clock clock) {
        String stamp = earlier.getMetadata().getCreationTimestamp();
        if (stamp == null) {
            throw new IllegalArgumentException(earlier.getKind() + " " + earlier.getMetadata().getName()
                    + " has no creationTimestamp: pass the object as the API server returned it");
        }
        Instant created = Instant.parse(stamp).truncatedTo(ChronoUnit.SECONDS);
        await().atMost(Duration.ofSeconds(3)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(() -> clock.instant().truncatedTo(ChronoUnit.SECONDS).isAfter(created));
    }
}
