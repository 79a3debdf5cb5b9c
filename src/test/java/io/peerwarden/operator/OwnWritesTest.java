package io.peerwarden.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The echo of the operator's own write marks nothing; every other event marks its peer, at once or, when it came while a
 * write of the same object was in flight, when that write ends.
 */
class OwnWritesTest {

    private final OwnWrites own = new OwnWrites();
    private final AtomicInteger marks = new AtomicInteger();
    private static final String KEY = OwnWrites.key("Secret", "ns", "p1-wireguard");

    private static Secret secret(String version) {
        return new SecretBuilder().withNewMetadata().withNamespace("ns").withName("p1-wireguard").withResourceVersion(version)
                .endMetadata().build();
    }

    @Test
    void anEventOfAnObjectThisProcessNeverWroteMarksAtOnce() {
        assertThat(own.markUnlessOwn(secret("7"), marks::incrementAndGet)).isTrue();
        assertThat(marks).hasValue(1);
    }

    @Test
    void theEchoOfAFinishedWriteMarksNothingAndIsDropped() {
        own.started(KEY);
        own.finished(KEY, "8");
        assertThat(own.markUnlessOwn(secret("8"), marks::incrementAndGet)).isFalse();
        assertThat(marks).hasValue(0);
        assertThat(own.remembered()).as("the echo came: nothing left to remember").isZero();
        // a later change by anyone else marks again
        assertThat(own.markUnlessOwn(secret("9"), marks::incrementAndGet)).isTrue();
        assertThat(marks).hasValue(1);
    }

    @Test
    void anEventWithAnotherVersionThanTheOneWrittenMarks() {
        own.started(KEY);
        own.finished(KEY, "8");
        assertThat(own.markUnlessOwn(secret("12"), marks::incrementAndGet)).isTrue();
        assertThat(marks).hasValue(1);
    }

    @Test
    void theEchoArrivingBeforeTheWriteEndsMarksNothingWhenTheWriteEnds() {
        own.started(KEY);
        assertThat(own.markUnlessOwn(secret("8"), marks::incrementAndGet)).as("undecided: a reconcile is queued").isTrue();
        assertThat(marks).hasValue(0);
        own.finished(KEY, "8");
        assertThat(marks).hasValue(0);
        assertThat(own.echoes()).isEqualTo(1);
    }

    @Test
    void someoneElsesChangeArrivingWhileAWriteIsInFlightMarksWhenTheWriteEnds() {
        own.started(KEY);
        own.markUnlessOwn(secret("8"), marks::incrementAndGet);
        assertThat(marks).hasValue(0);
        own.finished(KEY, "9");
        assertThat(marks).as("version 8 was not this write's").hasValue(1);
    }

    @Test
    void anEventWhileAWriteFailsOrWritesNothingMarksWhenTheWriteEnds() {
        own.started(KEY);
        own.markUnlessOwn(secret("8"), marks::incrementAndGet);
        own.finished(KEY, null);
        assertThat(marks).hasValue(1);
        assertThat(own.remembered()).isZero();
    }
}
