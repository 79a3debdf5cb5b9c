package io.peerwarden.operator.webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The serving certificate as cert-manager issues it: {@code tls.crt} and {@code tls.key} of a mounted Secret, read
 * again when the kubelet updates the files (cert-manager renews the Secret and injects the CA into the configuration
 * itself). EC keys only, as the chart's Certificate asks for.
 */
final class MountedCertificate implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MountedCertificate.class);

    private final Path directory;
    private final RotatingKeyManager keys = new RotatingKeyManager();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "webhook-cert-files");
        thread.setDaemon(true);
        return thread;
    });
    private String loaded;

    MountedCertificate(Path directory) {
        this.directory = directory;
    }

    void start(Duration checkEvery) {
        if (!reload()) {
            throw new IllegalStateException("no usable tls.crt and tls.key (EC) in " + directory);
        }
        long every = Math.max(100, checkEvery.toMillis());
        scheduler.scheduleWithFixedDelay(this::reload, every, every, TimeUnit.MILLISECONDS);
    }

    synchronized boolean reload() {
        try {
            String certificate = Files.readString(directory.resolve(WebhookTls.CERTIFICATE));
            String key = Files.readString(directory.resolve(WebhookTls.KEY));
            if ((certificate + key).equals(loaded)) {
                return true;
            }
            keys.use(ServingMaterial.parse(certificate, key, null));
            loaded = certificate + key;
            LOG.info("webhook serving certificate read from {}", directory);
            return true;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            LOG.warn("cannot read the webhook certificate from {}: {}", directory, e.getClass().getSimpleName());
            return false;
        }
    }

    SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keys}, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
