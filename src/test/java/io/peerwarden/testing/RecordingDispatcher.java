package io.peerwarden.testing;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The CRUD mock's dispatcher, recording every request (method, path, user agent) so tests can
 * count writes and attribute calls to the operator or the agent.
 */
public class RecordingDispatcher extends KubernetesCrudDispatcher {

    public record Call(String method, String path, String userAgent) {
        public boolean isWrite() {
            return !method.equals("GET");
        }
    }

    /** A write's body as sent (Events, status patches...), for tests that read what was written. */
    public record Written(String method, String path, String userAgent, String body) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Written> written = new CopyOnWriteArrayList<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        calls.add(new Call(request.getMethod(), request.getPath(), request.getHeader("User-Agent")));
        // every write but Secrets (which hold keys by design, and QR codes that would fill the heap)
        if (!"GET".equals(request.getMethod()) && request.getPath() != null && !request.getPath().contains("/secrets")) {
            written.add(new Written(request.getMethod(), request.getPath(), request.getHeader("User-Agent"),
                    request.getBody() == null ? null : new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8)));
        }
        return super.dispatch(request);
    }

    /** The bodies of every write except those to Secrets, in order. */
    public List<Written> written() {
        return List.copyOf(written);
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public int size() {
        return calls.size();
    }

    /** Calls recorded after the given mark (a previous {@link #size()}). */
    public List<Call> since(int mark) {
        List<Call> all = calls();
        return all.subList(Math.min(mark, all.size()), all.size());
    }
}
