package io.peerwarden.core.naming;

import io.peerwarden.api.v1alpha1.Formats;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The Linux interface name of an instance. Both the operator (status.interfaceName) and the node
 * agent derive it here, so they can never disagree.
 */
public final class InterfaceNames {

    public static final int MAX_LENGTH = 15;
    private static final String PREFIX = "wg-";

    private InterfaceNames() {
    }

    public static boolean isValid(String name) {
        return Formats.matches(Formats.INTERFACE_NAME, name);
    }

    /**
     * spec.interfaceName when given and valid, else derived from the instance's metadata.name. An
     * invalid spec.interfaceName (the instance is then {@code InvalidInterfaceName}) never becomes a
     * name in status or an argument to {@code ip}/{@code wg}.
     */
    public static String of(String metadataName, VpnInstanceSpec spec) {
        if (spec != null && spec.getInterfaceName() != null && isValid(spec.getInterfaceName())) {
            return spec.getInterfaceName();
        }
        return derive(metadataName);
    }

    /**
     * "wg-" + name when that fits in 15 characters; otherwise a truncated name plus a short hash of
     * the full name, so two long names sharing a prefix still get different interfaces.
     */
    public static String derive(String metadataName) {
        String candidate = PREFIX + metadataName;
        if (candidate.length() <= MAX_LENGTH) {
            return candidate;
        }
        CRC32 crc = new CRC32();
        crc.update(metadataName.getBytes(StandardCharsets.UTF_8));
        String hash = String.format("%05x", crc.getValue() & 0xFFFFF);
        int keep = MAX_LENGTH - PREFIX.length() - hash.length() - 1;
        String head = metadataName.substring(0, keep);
        if (head.endsWith(".") || head.endsWith("-")) {
            head = head.substring(0, head.length() - 1) + "x";
        }
        return PREFIX + head + "-" + hash;
    }
}
