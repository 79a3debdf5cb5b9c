package io.peerwarden.agent;

import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.core.wg.ToolText;
import io.peerwarden.core.wg.WgDump;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The outcome of one pass over an interface. Every text in it is {@link ToolText#sanitize sanitized} here, whoever
 * built it: it goes to status, Events and logs.
 *
 * @param implementation   kernel / userspace, null when the interface could not be created (or was not touched)
 * @param interfaceReason  why the interface is not as desired ({@code InterfaceFailed}, {@code InterfaceInUse},
 *                         {@code InterfaceNameNotAllowed}), null when it is
 * @param interfaceError   the message for it (a tool's error text for {@code InterfaceFailed}), else null
 * @param peerErrors       public key → the tool's error text for peers whose change failed
 * @param routeConflicts   public key → which existing route keeps one of the peer's subnets from being routed
 * @param live             the interface as it is after the pass (null when it could not be read)
 * @param countersReset    public keys whose live counters restarted from zero in this pass (added, interface recreated)
 * @param notShown         public keys of desired peers that {@code live} does not show as configured, judged with the
 *                         driver's record of the host-name endpoints it set (wg shows their resolved address, not the name)
 * @param wgSetInvocations number of {@code wg set} runs for peers
 */
public record ApplyResult(String implementation, String interfaceReason, String interfaceError, Map<String, String> peerErrors,
                          Map<String, String> routeConflicts, WgDump live, Set<String> countersReset, Set<String> notShown,
                          int adds, int updates, int removes, int withheldRemoves, int wgSetInvocations, long millis) {

    public ApplyResult {
        interfaceError = interfaceError == null ? null : ToolText.sanitize(interfaceError);
        interfaceReason = interfaceError == null ? null : interfaceReason == null ? Reasons.INTERFACE_FAILED : interfaceReason;
        peerErrors = sanitized(peerErrors);
        routeConflicts = sanitized(routeConflicts);
    }

    /** A result whose interface error, if any, is a tool failure ({@code InterfaceFailed}), without route conflicts. */
    public ApplyResult(String implementation, String interfaceError, Map<String, String> peerErrors, WgDump live,
                       Set<String> countersReset, Set<String> notShown, int adds, int updates, int removes, int withheldRemoves,
                       int wgSetInvocations, long millis) {
        this(implementation, null, interfaceError, peerErrors, Map.of(), live, countersReset, notShown, adds, updates, removes,
                withheldRemoves, wgSetInvocations, millis);
    }

    private static Map<String, String> sanitized(Map<String, String> texts) {
        Map<String, String> out = new LinkedHashMap<>();
        if (texts != null) {
            texts.forEach((key, text) -> out.put(key, ToolText.sanitize(text)));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    public boolean interfaceOk() {
        return interfaceError == null;
    }
}
