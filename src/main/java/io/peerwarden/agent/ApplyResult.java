package io.peerwarden.agent;

import io.peerwarden.core.wg.WgDump;

import java.util.Map;
import java.util.Set;

/**
 * The outcome of one pass over an interface.
 *
 * @param implementation   kernel / userspace, null when the interface could not be created
 * @param interfaceError   the tool's error text when the interface could not be created or configured, else null
 * @param peerErrors       public key → the tool's error text for peers whose change failed
 * @param live             the interface as it is after the pass (null when it could not be read)
 * @param countersReset    public keys whose live counters restarted from zero in this pass (added, interface recreated)
 * @param notShown         public keys of desired peers that {@code live} does not show as configured, judged with the
 *                         driver's record of the host-name endpoints it set (wg shows their resolved address, not the name)
 * @param wgSetInvocations number of {@code wg set} runs for peers
 */
public record ApplyResult(String implementation, String interfaceError, Map<String, String> peerErrors, WgDump live,
                          Set<String> countersReset, Set<String> notShown, int adds, int updates, int removes, int withheldRemoves,
                          int wgSetInvocations, long millis) {

    public boolean interfaceOk() {
        return interfaceError == null;
    }
}
