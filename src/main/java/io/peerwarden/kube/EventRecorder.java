package io.peerwarden.kube;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.core.status.ConditionTransitions;
import io.peerwarden.core.text.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/**
 * Kubernetes Events for condition transitions (shown by {@code kubectl describe}). Emitted only on
 * a transition, so a steady state adds no writes. An Event that cannot be written is logged and
 * dropped: Events are best-effort and must never fail a reconcile.
 */
public final class EventRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final KubernetesClient client;
    private final Clock clock;
    private final String controller;
    private final Runnable onEmitted;

    /** @param onEmitted called after each Event written (the operator counts its API writes) */
    public EventRecorder(KubernetesClient client, Clock clock, String controller, Runnable onEmitted) {
        this.client = client;
        this.clock = clock;
        this.controller = controller;
        this.onEmitted = onEmitted;
    }

    /**
     * A Warning when a condition turned False or changed its reason while False, from what the
     * status said before and after a write; nothing otherwise, so a steady state adds no Events.
     */
    public void warnOnNewFailure(HasMetadata regarding, Optional<Condition> before, Optional<Condition> after) {
        record(regarding, ConditionTransitions.newFailure(before, after));
    }

    /** Records the Event a condition transition calls for, if any ({@link ConditionTransitions}). */
    public void record(HasMetadata regarding, Optional<ConditionTransitions.Notice> notice) {
        notice.ifPresent(n -> emit(regarding, n.type(), n.reason(), n.message()));
    }

    public void warning(HasMetadata regarding, String reason, String message) {
        emit(regarding, "Warning", reason, message);
    }

    public void normal(HasMetadata regarding, String reason, String message) {
        emit(regarding, "Normal", reason, message);
    }

    private void emit(HasMetadata regarding, String type, String reason, String message) {
        try {
            client.resource(new EventBuilder()
                    .withNewMetadata()
                    .withName(Labels.boundedName(regarding.getMetadata().getName(), "." + UUID.randomUUID().toString().substring(0, 13)))
                    .withNamespace(regarding.getMetadata().getNamespace())
                    .endMetadata()
                    .withEventTime(new io.fabric8.kubernetes.api.model.MicroTime(MICRO_TIME.format(clock.instant().truncatedTo(ChronoUnit.MICROS))))
                    .withReportingController(controller)
                    .withReportingInstance(controller)
                    .withAction("Reconcile")
                    .withType(type)
                    .withReason(reason)
                    .withNote(SafeText.message(message))
                    .withRegarding(new ObjectReferenceBuilder()
                            .withApiVersion(regarding.getApiVersion())
                            .withKind(regarding.getKind())
                            .withName(regarding.getMetadata().getName())
                            .withNamespace(regarding.getMetadata().getNamespace())
                            .withUid(regarding.getMetadata().getUid())
                            .build())
                    .build()).create();
            onEmitted.run();
        } catch (KubernetesClientException e) {
            LOG.warn("could not record event {} on {}/{}: {}", reason, regarding.getMetadata().getNamespace(),
                    regarding.getMetadata().getName(), SafeText.message(e.getMessage()));
        }
    }
}
