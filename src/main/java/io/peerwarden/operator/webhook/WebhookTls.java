package io.peerwarden.operator.webhook;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.core.text.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The webhook's TLS without a manual step: a CA and serving certificate the operator makes itself, kept in a Secret in
 * the release namespace (so every replica serves the same one and a restart keeps it), with the CA bundle patched into
 * the ValidatingWebhookConfiguration.
 *
 * <p>Rotation, after two thirds of the certificate's lifetime, without a failed request: the new Secret is written
 * (its resourceVersion decides between replicas), then the configuration's bundle is patched to trust the old and the
 * new CA, and only after {@code grace} (the API server's copy of the configuration catching up) does this replica
 * present the new certificate. Other replicas present it once they see the bundle trusts it. The next rotation drops
 * the oldest CA.
 */
public final class WebhookTls implements AutoCloseable {

    public static final String CERTIFICATE = "tls.crt";
    public static final String KEY = "tls.key";
    public static final String CA_BUNDLE = "ca.crt";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookTls.class);

    /**
     * @param namespace         the release namespace, where the Secret lives
     * @param secretName        the Secret holding {@code tls.crt}, {@code tls.key} and {@code ca.crt}
     * @param configurationName the ValidatingWebhookConfiguration whose caBundle is patched (absent: nothing patched)
     * @param hosts             the names (and IP literals) the serving certificate is valid for
     * @param validity          lifetime of each certificate
     * @param grace             time between trusting a new CA and presenting its certificate
     * @param checkEvery        how often the Secret and the expiry are checked
     */
    public record Settings(String namespace, String secretName, String configurationName, List<String> hosts,
                           Duration validity, Duration grace, Duration checkEvery) {
    }

    private final KubernetesClient client;
    private final Settings settings;
    private final Clock clock;
    private final RotatingKeyManager keys = new RotatingKeyManager();
    private final AtomicInteger rotations = new AtomicInteger();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "webhook-tls");
        thread.setDaemon(true);
        return thread;
    });

    public WebhookTls(KubernetesClient client, Settings settings, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.clock = clock;
    }

    /** Decides the first certificate (reads the Secret or makes one) and checks again every {@code checkEvery}. */
    public void start() {
        check();
        long every = Math.max(100, settings.checkEvery().toMillis());
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                check();
            } catch (RuntimeException e) {
                LOG.warn("webhook certificate check failed, will retry: {}", SafeText.message(e.toString()));
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keys}, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }

    /** The certificate presented to new connections. */
    public X509Certificate serving() {
        ServingMaterial current = keys.current();
        return current == null ? null : current.certificate();
    }

    /** How many certificates this process made (tests). */
    public int rotations() {
        return rotations.get();
    }

    synchronized void check() {
        Secret secret = client.secrets().inNamespace(settings.namespace()).withName(settings.secretName()).get();
        ServingMaterial stored = secret == null ? null : material(secret);
        Instant now = clock.instant();
        if (stored == null || !now.isBefore(stored.renewAt()) || !now.isBefore(stored.certificate().getNotAfter().toInstant())) {
            rotate(secret);
            return;
        }
        ServingMaterial current = keys.current();
        if (current == null || !current.certificate().equals(stored.certificate())) {
            // made by another replica (or before a restart): present it once the API server is told to trust it
            List<X509Certificate> bundle = ServingMaterial.certificates(text(secret, CA_BUNDLE));
            if (current == null) {
                patchBundle(bundle);
                keys.use(stored);
            } else if (trusted(stored.ca())) {
                keys.use(stored);
            }
        } else if (!trusted(stored.ca())) {
            // the configuration was replaced (a reinstall) and lost the bundle: give it back
            patchBundle(ServingMaterial.certificates(text(secret, CA_BUNDLE)));
        }
    }

    private void rotate(Secret existing) {
        Instant now = clock.instant();
        ServingMaterial fresh = ServingMaterial.generate(settings.hosts(), settings.validity(), now);
        List<X509Certificate> bundle = new ArrayList<>();
        ServingMaterial current = keys.current();
        if (current != null && now.isBefore(current.ca().getNotAfter().toInstant())) {
            bundle.add(current.ca());
        }
        bundle.add(fresh.ca());
        Map<String, String> data = new LinkedHashMap<>();
        data.put(CERTIFICATE, b64(fresh.certificatePem()));
        data.put(KEY, b64(fresh.keyPem()));
        data.put(CA_BUNDLE, b64(bundle.stream().map(c -> ServingMaterial.pem("CERTIFICATE", ServingMaterial.encoded(c)))
                .reduce("", String::concat)));
        try {
            if (existing == null) {
                client.secrets().inNamespace(settings.namespace()).resource(new SecretBuilder()
                        .withNewMetadata().withName(settings.secretName()).withNamespace(settings.namespace())
                        .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                        .addToLabels(Labels.COMPONENT, Labels.COMPONENT_WEBHOOK_TLS)
                        .endMetadata().withType("kubernetes.io/tls").withData(data).build()).create();
            } else {
                // the resourceVersion travels with the update: of two replicas rotating at once, one wins
                client.secrets().inNamespace(settings.namespace()).resource(new SecretBuilder(existing).withData(data).build()).update();
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                LOG.info("another replica rotated the webhook certificate; using theirs");
                return;
            }
            throw e;
        }
        rotations.incrementAndGet();
        patchBundle(bundle);
        if (current != null) {
            sleep(settings.grace());
        }
        keys.use(fresh);
        LOG.info("webhook serving certificate {} (valid until {})", current == null ? "created" : "rotated",
                fresh.certificate().getNotAfter().toInstant());
    }

    private boolean trusted(X509Certificate ca) {
        if (settings.configurationName() == null) {
            return true;
        }
        ValidatingWebhookConfiguration configuration = client.admissionRegistration().v1().validatingWebhookConfigurations()
                .withName(settings.configurationName()).get();
        return configuration == null || configuration.getWebhooks().stream().allMatch(w -> w.getClientConfig() != null
                && w.getClientConfig().getCaBundle() != null
                && ServingMaterial.certificates(new String(Base64.getDecoder().decode(w.getClientConfig().getCaBundle()),
                StandardCharsets.US_ASCII)).contains(ca));
    }

    private void patchBundle(List<X509Certificate> bundle) {
        if (settings.configurationName() == null) {
            return;
        }
        String pem = bundle.stream().map(c -> ServingMaterial.pem("CERTIFICATE", ServingMaterial.encoded(c))).reduce("", String::concat);
        String caBundle = b64(pem);
        try {
            client.admissionRegistration().v1().validatingWebhookConfigurations().withName(settings.configurationName())
                    .edit(configuration -> {
                        configuration.getWebhooks().stream().filter(w -> w.getClientConfig() != null)
                                .forEach(w -> w.getClientConfig().setCaBundle(caBundle));
                        return configuration;
                    });
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            LOG.info("ValidatingWebhookConfiguration {} does not exist: no CA bundle to patch", settings.configurationName());
        }
    }

    private static ServingMaterial material(Secret secret) {
        try {
            List<X509Certificate> bundle = ServingMaterial.certificates(text(secret, CA_BUNDLE));
            ServingMaterial parsed = ServingMaterial.parse(text(secret, CERTIFICATE), text(secret, KEY), null);
            X509Certificate ca = bundle.stream()
                    .filter(c -> Objects.equals(c.getSubjectX500Principal(), parsed.certificate().getIssuerX500Principal()))
                    .reduce((a, b) -> b).orElse(null);
            return ca == null ? null : new ServingMaterial(parsed.certificate(), parsed.key(), ca);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            LOG.warn("Secret {} does not hold a usable webhook certificate; making a new one", secret.getMetadata().getName());
            return null;
        }
    }

    private static String text(Secret secret, String key) {
        String value = secret.getData() == null ? null : secret.getData().get(key);
        return value == null ? null : new String(Base64.getDecoder().decode(value), StandardCharsets.US_ASCII);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
