package io.peerwarden.core.share;

import io.peerwarden.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class FailedLookupLimiterTest {

    private final TestClock clock = TestClock.at(Instant.parse("2026-12-01T12:00:00Z"));
    private final FailedLookupLimiter limiter = new FailedLookupLimiter(3, Duration.ofMinutes(1), 100, clock);

    private static InetAddress ip(String text) throws UnknownHostException {
        return InetAddress.getByName(text);
    }

    @Test
    void aClientIsBlockedAfterItsBurstOfFailuresAndOnlyThatClient() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.blocked(ip("192.0.2.1"))).isEmpty();
            limiter.failed(ip("192.0.2.1"));
        }
        assertThat(limiter.blocked(ip("192.0.2.1"))).contains(Duration.ofMinutes(1));
        assertThat(limiter.blocked(ip("192.0.2.2"))).isEmpty();
    }

    @Test
    void aBlockedClientMayTryOnceMorePerRefillIntervalAndIsWholeAgainAfterTheBurstsWorth() throws Exception {
        for (int i = 0; i < 3; i++) {
            limiter.failed(ip("192.0.2.1"));
        }
        clock.advance(Duration.ofSeconds(45));
        assertThat(limiter.blocked(ip("192.0.2.1"))).contains(Duration.ofSeconds(15));
        clock.advance(Duration.ofSeconds(15));
        assertThat(limiter.blocked(ip("192.0.2.1"))).isEmpty();
        limiter.failed(ip("192.0.2.1"));
        assertThat(limiter.blocked(ip("192.0.2.1"))).isPresent();
        clock.advance(Duration.ofMinutes(10));
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.blocked(ip("192.0.2.1"))).isEmpty();
            limiter.failed(ip("192.0.2.1"));
        }
        assertThat(limiter.blocked(ip("192.0.2.1"))).isPresent();
    }

    @Test
    void addressesOfOneIpv6Slash64CountAsOneClient() throws Exception {
        limiter.failed(ip("2001:db8:1:2::1"));
        limiter.failed(ip("2001:db8:1:2::2"));
        limiter.failed(ip("2001:db8:1:2:ffff::3"));
        assertThat(limiter.blocked(ip("2001:db8:1:2::99"))).isPresent();
        assertThat(limiter.blocked(ip("2001:db8:1:3::1"))).isEmpty();
    }

    @Test
    void memoryIsBoundedByTheClientCountWhateverTheNumberOfAddresses() throws Exception {
        FailedLookupLimiter small = new FailedLookupLimiter(1, Duration.ofMinutes(1), 50, clock);
        for (int i = 0; i < 10_000; i++) {
            small.failed(InetAddress.getByAddress(new byte[]{10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}));
        }
        assertThat(small.clients()).isEqualTo(50);
        // the most recent ones are still blocked
        assertThat(small.blocked(InetAddress.getByAddress(new byte[]{10, 0, (byte) (9999 >> 8), (byte) 9999}))).isPresent();
    }
}
