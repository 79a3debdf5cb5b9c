package io.peerwarden.ship;

import io.peerwarden.testing.RecordingDispatcher;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Turns recorded HTTP requests into the (verb, group, resource, subresource, namespace) RBAC sees. */
public final class RecordedApiCalls {

    private RecordedApiCalls() {
    }

    public static Optional<ChartRbac.Request> toRequest(RecordingDispatcher.Call call) {
        URI uri = URI.create(call.path());
        List<String> parts = Arrays.stream(uri.getPath().split("/")).filter(s -> !s.isEmpty()).toList();
        int i;
        String group;
        if (parts.size() >= 2 && parts.get(0).equals("api")) {
            group = "";
            i = 2;
        } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            i = 3;
        } else {
            return Optional.empty(); // discovery, version: allowed to every authenticated user
        }
        String namespace = null;
        if (parts.size() > i + 1 && parts.get(i).equals("namespaces") && parts.size() > i + 2) {
            namespace = parts.get(i + 1);
            i += 2;
        }
        if (parts.size() <= i) {
            return Optional.empty();
        }
        String resource = parts.get(i);
        String name = parts.size() > i + 1 ? parts.get(i + 1) : null;
        String subresource = parts.size() > i + 2 ? parts.get(i + 2) : null;
        boolean watch = uri.getQuery() != null && uri.getQuery().contains("watch=true");
        String verb = switch (call.method()) {
            case "GET" -> watch ? "watch" : name == null ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name == null ? "deletecollection" : "delete";
            default -> call.method().toLowerCase();
        };
        return Optional.of(new ChartRbac.Request(verb, group, resource, subresource, namespace));
    }

    /** The form {@link ChartRbac#permissions} uses, for a chart that grants cluster-wide. */
    public static String permission(ChartRbac.Request request) {
        return request.verb() + " " + request.group() + "/" + request.resourcePath() + " @*";
    }
}
