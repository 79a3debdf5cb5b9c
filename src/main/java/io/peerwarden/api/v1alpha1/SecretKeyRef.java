package io.peerwarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A key inside a Secret of the same namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// unknown fields (a newer CRD) must not break reading the resource
@JsonIgnoreProperties(ignoreUnknown = true)
public class SecretKeyRef {

    @Required
    @Size(max = Formats.MAX_NAME)
    @Pattern(Formats.OBJECT_NAME)
    @JsonPropertyDescription("Name of the Secret, in the same namespace as this resource.")
    private String name;

    @Size(max = Formats.MAX_NAME)
    @Pattern(Formats.SECRET_DATA_KEY)
    @JsonPropertyDescription("Key inside the Secret's data whose value is the base64 WireGuard key. Default: the conventional key for the field (privateKey or presharedKey).")
    private String key;

    public SecretKeyRef() {
    }

    public SecretKeyRef(String name, String key) {
        this.name = name;
        this.key = key;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    /** The key to read, falling back to the field's conventional key when none is given. */
    public String keyOr(String conventionalKey) {
        return key == null || key.isBlank() ? conventionalKey : key;
    }
}
