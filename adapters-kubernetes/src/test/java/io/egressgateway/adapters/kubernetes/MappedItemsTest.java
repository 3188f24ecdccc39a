package io.egressgateway.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.adapters.kubernetes.crd.EgressGateway;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class MappedItemsTest {
    private final List<String> mapped = new ArrayList<>();
    private final Function<EgressGateway, String> map = g -> {
        if (g.getMetadata().getName().startsWith("bad")) {
            throw new IllegalArgumentException("unreadable");
        }
        mapped.add(g.getMetadata().getName());
        return g.getMetadata().getName() + "@" + g.getMetadata().getResourceVersion();
    };
    private final MappedItems<EgressGateway, String> items = new MappedItems<>(map);

    private static EgressGateway gw(String name, String rv) {
        EgressGateway g = new EgressGateway();
        g.setMetadata(new ObjectMetaBuilder().withName(name).withResourceVersion(rv).build());
        return g;
    }

    @Test
    void anUnchangedStoreGivesTheSameListWithoutMappingAgain() {
        EgressGateway b = gw("b", "1");
        EgressGateway a = gw("a", "1");
        List<String> first = items.of(List.of(b, a));
        assertThat(first).containsExactly("a@1", "b@1");
        List<String> second = items.of(List.of(a, b));
        assertThat(second).isSameAs(first);
        assertThat(mapped).containsExactly("a", "b");
    }

    @Test
    void onlyTheChangedObjectIsMappedAgain() {
        EgressGateway a = gw("a", "1");
        items.of(List.of(a, gw("b", "1")));
        mapped.clear();
        List<String> now = items.of(List.of(a, gw("b", "2"), gw("c", "1")));
        assertThat(now).containsExactly("a@1", "b@2", "c@1");
        assertThat(mapped).containsExactly("b", "c");
    }

    @Test
    void aNewInstanceWithTheSameVersionIsMappedAgainAndARemovedObjectGoes() {
        items.of(List.of(gw("a", "1"), gw("b", "1")));
        mapped.clear();
        assertThat(items.of(List.of(gw("a", "1")))).containsExactly("a@1");
        assertThat(mapped).containsExactly("a");
    }

    @Test
    void anObjectThatCannotBeMappedIsLeftOutAndTriedAgain() {
        EgressGateway bad = gw("bad", "1");
        EgressGateway a = gw("a", "1");
        assertThat(items.of(List.of(a, bad))).containsExactly("a@1");
        List<String> again = items.of(List.of(a, bad));
        assertThat(again).containsExactly("a@1");
        assertThat(mapped).containsExactly("a");
    }
}
