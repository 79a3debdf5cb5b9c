package io.peerwarden.operator.webhook;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.admission.PeerAdmission;
import io.peerwarden.core.text.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The validating admission webhook over HTTPS (the JDK's own server): {@code POST /validate-vpnpeer} and
 * {@code /validate-vpninstance} take an AdmissionReview (admission.k8s.io/v1) and answer it with the
 * {@link PeerAdmission} or {@link io.peerwarden.core.admission.InstanceAdmission} verdict. Anything it cannot
 * decide (a body it cannot read, an unexpected error) is allowed: the reconciler's condition stays the source of truth.
 */
public final class AdmissionServer implements AutoCloseable {

    public static final String PEER_PATH = "/validate-vpnpeer";
    public static final String INSTANCE_PATH = "/validate-vpninstance";
    /** AdmissionReview objects are bounded by the API server's request size (3 MiB); anything larger is not ours. */
    static final int MAX_BODY = 4 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionServer.class);
    private static final ObjectMapper MAPPER = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final HttpsServer server;
    private final ExecutorService executor;
    private final AtomicLong answered = new AtomicLong();

    /**
     * @param port    the port (0: any free one)
     * @param tls     the serving certificate, swapped on rotation
     * @param peers     the verdict for a candidate peer
     * @param instances the verdict for a candidate instance
     */
    public AdmissionServer(String bindAddress, int port, SSLContext tls, Function<VpnPeer, PeerAdmission.Verdict> peers,
                           Function<VpnInstance, PeerAdmission.Verdict> instances) throws IOException {
        server = HttpsServer.create(bindAddress == null ? new InetSocketAddress(port) : new InetSocketAddress(bindAddress, port), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext(PEER_PATH, exchange -> handle(exchange, "VpnPeer", VpnPeer.class, peers));
        server.createContext(INSTANCE_PATH, exchange -> handle(exchange, "VpnInstance", VpnInstance.class, instances));
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "admission-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
    }

    private <T> void handle(HttpExchange exchange, String kind, Class<T> type, Function<T, PeerAdmission.Verdict> decider) {
        try {
            if (!"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "{}".getBytes());
                return;
            }
            byte[] body = readBounded(exchange.getRequestBody());
            if (body == null) {
                send(exchange, 413, "{}".getBytes());
                return;
            }
            send(exchange, 200, MAPPER.writeValueAsBytes(review(body, kind, type, decider)));
            answered.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            LOG.warn("admission request failed: {}", SafeText.message(e.getClass().getName()));
        } finally {
            exchange.close();
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Reviews answered since the start (tests, metrics). */
    public long answered() {
        return answered.get();
    }

    /** The AdmissionReview answer for a request body; an unreadable object is allowed (the condition will say why). */
    static ObjectNode review(byte[] body, Function<VpnPeer, PeerAdmission.Verdict> decider) {
        return review(body, "VpnPeer", VpnPeer.class, decider);
    }

    static <T> ObjectNode review(byte[] body, String kind, Class<T> type, Function<T, PeerAdmission.Verdict> decider) {
        ObjectNode answer = MAPPER.createObjectNode();
        answer.put("apiVersion", "admission.k8s.io/v1");
        answer.put("kind", "AdmissionReview");
        ObjectNode response = answer.putObject("response");
        PeerAdmission.Verdict verdict = PeerAdmission.Verdict.ALLOW;
        try {
            JsonNode request = MAPPER.readTree(body).path("request");
            response.put("uid", request.path("uid").asText(""));
            JsonNode object = request.path("object");
            if (object.isObject() && kind.equals(object.path("kind").asText())) {
                verdict = decider.apply(MAPPER.treeToValue(object, type));
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("admitted a review that could not be decided: {}", e.getClass().getName());
        }
        response.put("allowed", verdict.allowed());
        if (!verdict.allowed()) {
            ObjectNode status = response.putObject("status");
            status.put("code", 422);
            status.put("reason", "Invalid");
            status.put("message", verdict.reason() + ": " + verdict.message());
        }
        return answer;
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        return body.length > MAX_BODY ? null : body;
    }

    private static void send(HttpExchange exchange, int code, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
