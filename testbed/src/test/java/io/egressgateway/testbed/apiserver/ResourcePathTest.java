package io.egressgateway.testbed.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourcePathTest {

    @Test
    void namespacedCoreObjectWithSubresourceAndQuery() {
        ResourcePath p = ResourcePath.parse("/api/v1/namespaces/shop/pods/web/status?fieldManager=x").orElseThrow();
        assertThat(p).isEqualTo(new ResourcePath("", "v1", "shop", "pods", "web", "status", "fieldManager=x"));
        assertThat(p.objectPath()).isEqualTo("/api/v1/namespaces/shop/pods/web");
        assertThat(p.hasQueryFlag("fieldManager", "x")).isTrue();
    }

    @Test
    void clusterScopedCustomResource() {
        ResourcePath p = ResourcePath.parse("/apis/egressgateway.spidernet.io/v1/egressgatewaypolicies/shop")
                .orElseThrow();
        assertThat(p.namespace()).isNull();
        assertThat(p.group()).isEqualTo("egressgateway.spidernet.io");
        assertThat(p.name()).isEqualTo("shop");
        assertThat(p.groupVersion()).isEqualTo("egressgateway.spidernet.io/v1");
    }

    @Test
    void theNamespaceObjectItselfIsNotANamespacePrefix() {
        ResourcePath p = ResourcePath.parse("/api/v1/namespaces/shop").orElseThrow();
        assertThat(p.resource()).isEqualTo("namespaces");
        assertThat(p.name()).isEqualTo("shop");
        assertThat(p.namespace()).isNull();
    }

    @Test
    void discoveryPathsNameNoResource() {
        assertThat(ResourcePath.parse("/apis")).isEmpty();
        assertThat(ResourcePath.parse("/apis/coordination.k8s.io/v1")).isEmpty();
        assertThat(ResourcePath.parse("/version")).isEmpty();
    }
}
