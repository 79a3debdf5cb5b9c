package io.peerwarden.share;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Every log line of every logger while open, at every level: SLF4J/Logback (Peerwarden, fabric8) and
 * java.util.logging, where the JDK's HTTP server and HTTP client log (request lines among them). For
 * proving a token never reaches a log.
 */
public final class AllLogs implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Level rootLevel;
    private final List<ch.qos.logback.core.Appender<ILoggingEvent>> quieted = new ArrayList<>();
    private final java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
    private final java.util.logging.Level julLevel;
    private final List<String> julLines = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringBuilder line = new StringBuilder(record.getLevel() + " " + record.getLoggerName() + " " + record.getMessage());
            if (record.getParameters() != null) {
                for (Object p : record.getParameters()) {
                    line.append(" ").append(p);
                }
            }
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                line.append(" | ").append(t);
            }
            synchronized (julLines) {
                julLines.add(line.toString());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public AllLogs() {
        rootLevel = root.getLevel();
        // the console appenders would print every DEBUG line of every library meanwhile
        root.iteratorForAppenders().forEachRemaining(quieted::add);
        quieted.forEach(root::detachAppender);
        appender.setContext(root.getLoggerContext());
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.ALL);
        julLevel = julRoot.getLevel();
        handler.setLevel(java.util.logging.Level.ALL);
        julRoot.addHandler(handler);
        julRoot.setLevel(java.util.logging.Level.ALL);
    }

    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        synchronized (appender) {
            for (ILoggingEvent event : new ArrayList<>(appender.list)) {
                StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage());
                for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                    line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
                }
                lines.add(line.toString());
            }
        }
        synchronized (julLines) {
            lines.addAll(julLines);
        }
        return lines;
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        root.setLevel(rootLevel);
        quieted.forEach(root::addAppender);
        julRoot.removeHandler(handler);
        julRoot.setLevel(julLevel);
    }
}
