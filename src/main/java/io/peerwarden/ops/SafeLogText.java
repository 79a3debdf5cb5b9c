package io.peerwarden.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.CompositeConverter;
import io.peerwarden.core.text.SafeText;

/**
 * Logback's {@code %safe(...)}: the wrapped text with control characters and line separators
 * escaped visibly ({@link SafeText#escape}), so a value from a spec or a tool that reaches a log line
 * (e.g. inside an exception message) can neither forge a line nor send an escape sequence to the
 * terminal of whoever reads the log. Line breaks are folded before by the pattern itself.
 */
public final class SafeLogText extends CompositeConverter<ILoggingEvent> {

    @Override
    protected String transform(ILoggingEvent event, String in) {
        return SafeText.escape(in);
    }
}
