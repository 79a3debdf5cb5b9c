package io.peerwarden.core.naming;

import io.peerwarden.api.v1alpha1.Formats;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The Linux interface name of an instance. The operator decides it (status.interfaceName) and the
 * node agent applies what the operator decided; derivation lives only here.
 */
public final class InterfaceNames {

    public static final int MAX_LENGTH = 15;
    private static final int HASH_LENGTH = 5;
    private static final String SEPARATORS = "-_.=+";

    private InterfaceNames() {
    }

    public static boolean isValid(String name) {
        return Formats.matches(Formats.INTERFACE_NAME, name);
    }

    /**
     * spec.interfaceName when given and valid, else derived from the instance's namespace and name with
     * the owned prefix. An invalid spec.interfaceName (the instance is then {@code InvalidInterfaceName})
     * never becomes a name in status or an argument to {@code ip}/{@code wg}.
     */
    public static String of(String prefix, String namespace, String metadataName, VpnInstanceSpec spec) {
        if (spec != null && spec.getInterfaceName() != null && isValid(spec.getInterfaceName())) {
            return spec.getInterfaceName();
        }
        return derive(prefix, namespace, metadataName);
    }

    /**
     * prefix + as much of the name as fits + a short hash of namespace/name, at most 15 characters:
     * {@code pw-office-3fa1c}. The hash makes {@code office} in two namespaces two interfaces; the
     * same instance always gets the same name. (A hash collision on one node is caught by the
     * per-node uniqueness check, like any other name clash.)
     */
    public static String derive(String prefix, String namespace, String metadataName) {
        CRC32 crc = new CRC32();
        crc.update((namespace + "/" + metadataName).getBytes(StandardCharsets.UTF_8));
        String hash = String.format("%0" + HASH_LENGTH + "x", crc.getValue() & 0xFFFFF);
        String separator = prefix.isEmpty() || SEPARATORS.indexOf(prefix.charAt(prefix.length() - 1)) >= 0 ? "" : "-";
        int room = MAX_LENGTH - prefix.length() - separator.length() - 1 - HASH_LENGTH;
        String head = room <= 0 ? "" : metadataName.substring(0, Math.min(room, metadataName.length()));
        String name = head.isEmpty() ? prefix + separator + hash : prefix + separator + head + "-" + hash;
        return name.length() <= MAX_LENGTH ? name : prefix + hash;
    }
}
