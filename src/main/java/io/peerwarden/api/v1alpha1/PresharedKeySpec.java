package io.peerwarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** Where a peer's preshared key comes from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(self.mode == 'Secret') == has(self.secretRef)",
        message = "presharedKey.secretRef is required when mode is Secret and not allowed otherwise")
// unknown fields (a newer CRD) must not break reading the resource
@JsonIgnoreProperties(ignoreUnknown = true)
public class PresharedKeySpec {

    public static final String GENERATED = "Generated";
    public static final String SECRET = "Secret";
    public static final String NONE = "None";

    @Default(GENERATED)
    @Pattern("^(Generated|Secret|None)$")
    @JsonPropertyDescription("Generated (default): the operator generates a preshared key once and keeps it in the peer's config Secret. "
            + "Secret: read it from secretRef. None: no preshared key.")
    private String mode = GENERATED;

    @JsonPropertyDescription("Secret holding the preshared key (32 bytes, base64) when mode is Secret. Default key: presharedKey.")
    private SecretKeyRef secretRef;

    public PresharedKeySpec() {
    }

    public PresharedKeySpec(String mode, SecretKeyRef secretRef) {
        this.mode = mode;
        this.secretRef = secretRef;
    }

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public SecretKeyRef getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(SecretKeyRef secretRef) {
        this.secretRef = secretRef;
    }
}
