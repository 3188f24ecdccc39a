package io.egressgateway.adapters.kubernetes.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** A reference by name ({@code {name: shop}}): lists of named things use {@code name:} fields. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NamedRef {
    @Required
    public String name;

    public NamedRef() {
    }

    public NamedRef(String name) {
        this.name = name;
    }
}
