package io.peerwarden.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationConverterTest {

    @Test
    void unitsAndIso8601Parse() {
        assertThat(DurationConverter.parse("10s")).hasSeconds(10);
        assertThat(DurationConverter.parse("500ms")).hasMillis(500);
        assertThat(DurationConverter.parse("2m")).hasMinutes(2);
        assertThat(DurationConverter.parse("1h")).hasHours(1);
        assertThat(DurationConverter.parse("PT1H")).hasHours(1);
        assertThat(DurationConverter.parse("pt10m")).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void anythingElseIsRejectedWithTheExpectedForm() {
        for (String bad : new String[] {"10", "s", "ten s", "10d", "PT", ""}) {
            assertThatThrownBy(() -> DurationConverter.parse(bad)).as(bad)
                    .isInstanceOf(CommandLine.TypeConversionException.class).hasMessageContaining("e.g. 500ms, 10s, 5m, 1h");
        }
    }
}
