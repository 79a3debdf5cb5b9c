package io.peerwarden.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.util.Locale;

/**
 * The one way durations are written on every command line: a number and a unit ({@code 500ms},
 * {@code 10s}, {@code 5m}, {@code 1h}), as Kubernetes and Go write them. ISO-8601
 * ({@code PT10M}) is accepted too, so that older settings keep working.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** 500ms, 10s, 5m, 1h or ISO-8601 (PT10S). */
    public static Duration parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("pt")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            switch (v.charAt(v.length() - 1)) {
                case 's':
                    return Duration.ofSeconds(n);
                case 'm':
                    return Duration.ofMinutes(n);
                case 'h':
                    return Duration.ofHours(n);
                default:
                    break;
            }
        } catch (RuntimeException e) {
            // fall through
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 10s, 5m, 1h)");
    }
}
