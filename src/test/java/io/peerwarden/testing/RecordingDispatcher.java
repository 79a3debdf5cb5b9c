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

    private final List<Call> calls = new CopyOnWriteArrayList<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        calls.add(new Call(request.getMethod(), request.getPath(), request.getHeader("User-Agent")));
        return super.dispatch(request);
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
