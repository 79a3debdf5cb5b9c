package io.peerwarden.core.plan;

import static io.peerwarden.core.plan.PlanFixtures.NODE;
import static io.peerwarden.core.plan.PlanFixtures.condition;
import static io.peerwarden.core.plan.PlanFixtures.config;
import static io.peerwarden.core.plan.PlanFixtures.instance;
import static io.peerwarden.core.plan.PlanFixtures.nodes;
import static io.peerwarden.core.plan.PlanFixtures.peer;
import static io.peerwarden.core.plan.PlanFixtures.planOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Formats;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.core.validation.InstanceSpecValidator;
import io.peerwarden.core.validation.PeerSpecValidator;
import io.peerwarden.testing.QrImages;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The list limits are chosen so that a client config with every list full still fits its QR code. */
class ConfigAtTheLimitsTest {

    @Test
    void aPeerWithEveryListAtItsLimitStillGetsItsQrCode() throws Exception {
        VpnInstance instance = instance("10.24.0.1/16");
        // the longest endpoint: 253 characters with the port
        instance.getSpec().setEndpoint("a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(55) + ":65535");
        instance.getSpec().setDns(IntStream.range(0, Formats.MAX_DNS_ENTRIES).mapToObj(i -> "100.100.100." + (100 + i)).toList());
        instance.getSpec().setMtu(Formats.MAX_MTU);
        instance.getSpec().setPersistentKeepalive(Formats.MAX_KEEPALIVE);
        List<String> addresses = IntStream.range(0, Formats.MAX_ALLOWED_IPS).mapToObj(i -> "10.24.200." + (200 + i) + "/32").toList();
        List<String> routes = IntStream.range(0, Formats.MAX_ENDPOINT_ALLOWED_IPS).mapToObj(i -> "100.100." + (100 + i) + ".0/24").toList();
        var full = peer("full", 1, s -> {
            s.setAllowedIPs(addresses);
            s.setEndpointAllowedIPs(routes);
        });
        assertThat(new InstanceSpecValidator().validate(instance.getSpec())).isEmpty();
        assertThat(new PeerSpecValidator().validate(full.getSpec(), new InstanceSpecValidator().pools(instance.getSpec()))).isEmpty();

        PeerPlan plan = planOf(new InstancePlanner(new PlanFixtures.FakeKeys()).plan(instance, List.of(full),
                new PlanFixtures.FakeSecrets(), new AllocationLedger(), nodes(NODE), List.of()), "full");

        assertThat(condition(plan, ConditionTypes.CONFIG_RENDERED).status()).isEqualTo("True");
        String config = config(plan);
        assertThat(config).contains("PresharedKey = ").contains("MTU = 9000").contains("PersistentKeepalive = 65535");
        assertThat(config.getBytes(StandardCharsets.UTF_8).length).as("bytes of the config").isGreaterThan(2000).isLessThanOrEqualTo(2331);
        assertThat(plan.secret().drawn().key()).isEqualTo(Labels.CONFIG_QR);
        assertThat(QrImages.decode(Base64.getDecoder().decode(plan.secret().dataToWrite().get(Labels.CONFIG_QR)))).isEqualTo(config);
    }
}
