package io.peerwarden.core.seedapi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A seed request translated: either the JSON merge patch of the VpnPeer's spec ({@code null} values remove a field),
 * or the refusal to answer without writing anything.
 */
public record PatchOrRefusal(Map<String, Object> spec, SeedErrors.Refusal refusal) {

    public static PatchOrRefusal patch(Map<String, Object> spec) {
        return new PatchOrRefusal(Collections.unmodifiableMap(new LinkedHashMap<>(spec)), null);
    }

    public static PatchOrRefusal refused(String reason, String message) {
        return new PatchOrRefusal(null, new SeedErrors.Refusal(reason, message));
    }

    public boolean refused() {
        return refusal != null;
    }
}
