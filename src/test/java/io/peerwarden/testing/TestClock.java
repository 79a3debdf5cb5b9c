package io.peerwarden.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one clock tests move by hand, in UTC. Three kinds: {@link #at} stands still until {@link #advance}d;
 * {@link #systemTime} follows the real clock, moved by what was advanced (a server's idea of now while other parts run
 * at the real time); {@link #ticking} moves by a step on every reading (code that polls the clock). Thread-safe.
 */
public final class TestClock extends Clock {

    private final Instant start;
    private final boolean followsSystem;
    private final Duration step;
    private final AtomicInteger readings = new AtomicInteger();
    private volatile Duration advanced = Duration.ZERO;

    private TestClock(Instant start, boolean followsSystem, Duration step) {
        this.start = start;
        this.followsSystem = followsSystem;
        this.step = step;
    }

    /** Stands at {@code now} until advanced. */
    public static TestClock at(Instant now) {
        return new TestClock(now, false, Duration.ZERO);
    }

    /** The system clock, ahead by whatever was advanced. */
    public static TestClock systemTime() {
        return new TestClock(null, true, Duration.ZERO);
    }

    /** {@code start} at the first reading, then {@code step} later at each next one. */
    public static TestClock ticking(Instant start, Duration step) {
        return new TestClock(start, false, step);
    }

    public synchronized void advance(Duration by) {
        advanced = advanced.plus(by);
    }

    /** How often {@link #instant} (or {@link #millis}) was read. */
    public int readings() {
        return readings.get();
    }

    @Override
    public Instant instant() {
        int reading = readings.getAndIncrement();
        Instant base = followsSystem ? Instant.now() : start.plus(step.multipliedBy(reading));
        return base.plus(advanced);
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
