package io.peerwarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Usage of one address pool of an instance. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// unknown fields (a newer CRD) must not break reading the resource
@JsonIgnoreProperties(ignoreUnknown = true)
public class PoolStatus {

    @JsonPropertyDescription("IPv4 or IPv6.")
    private String family;

    @JsonPropertyDescription("The pool network, e.g. 10.24.0.0/24.")
    private String cidr;

    @JsonPropertyDescription("Number of addresses peers can get (decimal string: IPv6 pools exceed 64 bits).")
    private String size;

    @JsonPropertyDescription("Addresses held by peers.")
    private Long allocated;

    public String getFamily() {
        return family;
    }

    public void setFamily(String family) {
        this.family = family;
    }

    public String getCidr() {
        return cidr;
    }

    public void setCidr(String cidr) {
        this.cidr = cidr;
    }

    public String getSize() {
        return size;
    }

    public void setSize(String size) {
        this.size = size;
    }

    public Long getAllocated() {
        return allocated;
    }

    public void setAllocated(Long allocated) {
        this.allocated = allocated;
    }

}
