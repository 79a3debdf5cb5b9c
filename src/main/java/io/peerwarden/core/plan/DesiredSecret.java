package io.peerwarden.core.plan;

import io.peerwarden.core.render.QrCodes;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Secret the operator creates and maintains, as it should be. Values in {@code data} are base64, as stored, so
 * the adapter compares them with what is there and writes only on a difference.
 *
 * <p>One entry may be {@link DrawnEntry drawn}: a function of another entry (the config's QR code PNG is a function of
 * the config), left out of {@code data} and made only when the Secret is written ({@link #dataToWrite()}). The adapter
 * compares {@code data} and checks that the drawn entry is present; it never needs the drawn bytes to decide.
 *
 * @param data       the entries compared with the stored Secret (base64), without the drawn one
 * @param ownerPeer  name of the VpnPeer owning it (config Secrets) or null (the instance key Secret, which no one owns:
 *                   it outlives its instance, so a re-created instance keeps its server key)
 * @param createOnly never update an existing Secret of this name (generated keys are written once)
 * @param drawn      the entry drawn when the Secret is written, or null
 */
public record DesiredSecret(String namespace, String name, Map<String, String> labels, Map<String, String> annotations,
                            Map<String, String> data, String ownerPeer, boolean createOnly, DrawnEntry drawn) {

    /** A Secret with nothing drawn. */
    public DesiredSecret(String namespace, String name, Map<String, String> labels, Map<String, String> annotations,
                         Map<String, String> data, String ownerPeer, boolean createOnly) {
        this(namespace, name, labels, annotations, data, ownerPeer, createOnly, null);
    }

    /** Every entry as the Secret stores it, the drawn one drawn now (a QR code takes milliseconds: call it to write). */
    public Map<String, String> dataToWrite() {
        if (drawn == null) {
            return data;
        }
        Map<String, String> all = new LinkedHashMap<>(data);
        all.put(drawn.key(), drawn.draw());
        return all;
    }

    /** Names and keys only: the data holds private keys and the drawn entry a config with one. */
    @Override
    public String toString() {
        return "DesiredSecret[" + namespace + "/" + name + ", labels=" + labels + ", annotations=" + annotations
                + ", data keys=" + data.keySet() + (drawn == null ? "" : ", drawn=" + drawn.key())
                + ", ownerPeer=" + ownerPeer + ", createOnly=" + createOnly + "]";
    }

    /**
     * The PNG of a QR code of a text, as the base64 value of {@code key}, drawn only by {@link #draw()}.
     *
     * @param text what the QR code holds (the client config, with its private key)
     */
    public record DrawnEntry(String key, String text) {

        /** The config's QR code, the PNG drawn by {@link QrCodes#png}. */
        public static DrawnEntry qrCodeOf(String key, String text) {
            return new DrawnEntry(key, text);
        }

        /** The base64 value: the PNG, drawn now. */
        public String draw() {
            return Base64.getEncoder().encodeToString(QrCodes.png(text));
        }

        @Override
        public String toString() {
            return "DrawnEntry[" + key + "]";
        }
    }
}
