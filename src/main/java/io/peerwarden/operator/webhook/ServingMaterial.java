package io.peerwarden.operator.webhook;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A serving certificate and its key, with the CA that signed it: what the webhook presents and what the API server is
 * told to trust. Each rotation makes a fresh CA (its key is never kept: it signs one certificate), so nothing long-lived
 * needs protecting; ECDSA P-256 throughout.
 */
public record ServingMaterial(X509Certificate certificate, PrivateKey key, X509Certificate ca) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern PEM_CERT = Pattern.compile("-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----");

    /** A new CA and a serving certificate for {@code hosts} (DNS names or IP literals), valid from now for {@code validity}. */
    public static ServingMaterial generate(List<String> hosts, Duration validity, Instant now) {
        try {
            KeyPair caKeys = ecKeys();
            KeyPair servingKeys = ecKeys();
            Date from = Date.from(now.minusSeconds(60));
            Date until = Date.from(now.plus(validity));
            X500Name caName = new X500Name("CN=peerwarden-webhook-ca-" + now.getEpochSecond());
            X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, serial(), from,
                    Date.from(now.plus(validity).plusSeconds(60)), caName, caKeys.getPublic());
            ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            ca.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate caCert = sign(ca, caKeys.getPrivate());

            X509v3CertificateBuilder serving = new JcaX509v3CertificateBuilder(caName, serial(), from, until,
                    new X500Name("CN=" + (hosts.isEmpty() ? "peerwarden-webhook" : hosts.get(0))), servingKeys.getPublic());
            serving.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            serving.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            serving.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            GeneralName[] names = hosts.stream()
                    .map(h -> new GeneralName(isIpLiteral(h) ? GeneralName.iPAddress : GeneralName.dNSName, h))
                    .toArray(GeneralName[]::new);
            serving.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            return new ServingMaterial(sign(serving, caKeys.getPrivate()), servingKeys.getPrivate(), caCert);
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot create the webhook's certificate", e);
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
        return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    }

    /** When the serving certificate should be replaced: after two thirds of its lifetime. */
    public Instant renewAt() {
        Instant from = certificate.getNotBefore().toInstant().plusSeconds(60);
        Instant until = certificate.getNotAfter().toInstant();
        return from.plus(Duration.between(from, until).multipliedBy(2).dividedBy(3));
    }

    // ---- PEM ---------------------------------------------------------------------------------

    public String certificatePem() {
        return pem("CERTIFICATE", encoded(certificate));
    }

    public String keyPem() {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    public String caPem() {
        return pem("CERTIFICATE", encoded(ca));
    }

    static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** The certificates of a PEM bundle, in order; unparseable blocks are skipped. */
    public static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> result = new ArrayList<>();
        if (pem == null) {
            return result;
        }
        var matcher = PEM_CERT.matcher(pem);
        while (matcher.find()) {
            try {
                result.add((X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(matcher.group().getBytes(StandardCharsets.US_ASCII))));
            } catch (GeneralSecurityException e) {
                // skipped
            }
        }
        return result;
    }

    /** Reads back what {@link #certificatePem}, {@link #keyPem} and {@link #caPem} (first CA of the bundle) wrote. */
    public static ServingMaterial parse(String certificatePem, String keyPem, X509Certificate ca) throws GeneralSecurityException {
        List<X509Certificate> certs = certificates(certificatePem);
        if (certs.isEmpty() || keyPem == null) {
            throw new GeneralSecurityException("no certificate or key");
        }
        String base64 = keyPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        return new ServingMaterial(certs.get(0), key, ca);
    }
}
