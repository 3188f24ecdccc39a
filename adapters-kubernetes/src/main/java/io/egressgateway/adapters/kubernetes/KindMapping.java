package io.egressgateway.adapters.kubernetes;

import io.egressgateway.adapters.kubernetes.crd.EgressClusterInfo;
import io.egressgateway.adapters.kubernetes.crd.EgressEndpointSlice;
import io.egressgateway.adapters.kubernetes.crd.EgressGateway;
import io.egressgateway.adapters.kubernetes.crd.EgressGatewayPolicy;
import io.egressgateway.adapters.kubernetes.crd.EgressNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.model.jackson.Jackson2JdkTypesModule;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client's JSON mapping, told the kinds the product reads instead of finding every kind on the
 * class path. fabric8's default ({@code new KubernetesSerialization()}) loads and instantiates every
 * class that a model jar lists as a {@code KubernetesResource} (about 400 in the product: every API
 * group's top-level kinds) the first time it reads a watch event, only to map apiVersion and kind
 * to a class. Each of those classes costs every agent its share of the class data archive (about
 * 4 MiB in all, docs/benchmarks.md "the agent's class path"). The mapper is the default's (Jackson 2
 * defaults and fabric8's JDK types module); a kind that is not listed here still arrives typed:
 * fabric8's watch converts the generic object to the informer's class, as it always has for the
 * product's own custom resources. Listing them saves that conversion on the busiest watches.
 */
final class KindMapping {
    /**
     * What the roles watch, list or write (the controller's Pod informer is the busiest), and
     * {@code Status}: a watch's ERROR event carries one, and fabric8 recognises "410 Gone, relist" only
     * when it arrives as a {@code Status} (without it an informer retried its expired watch forever and
     * saw no change again: PoisonObjectE2EIT, ApiServerRestartE2EIT).
     */
    static final List<Class<? extends KubernetesResource>> KINDS = List.of(
            Status.class, EgressGatewayPolicy.class, EgressGateway.class, EgressEndpointSlice.class, EgressNode.class,
            EgressClusterInfo.class, Pod.class, Node.class, Namespace.class, Lease.class, Secret.class,
            Service.class, Event.class, MutatingWebhookConfiguration.class, ValidatingWebhookConfiguration.class);

    private KindMapping() {
    }

    /**
     * What {@code Config.fromKubeconfig(content)} returns, parsed with this mapping: fabric8 parses a
     * kubeconfig with its static default serialization, whose scan of the class path this class avoids
     * (a kubeconfig's extensions are typed {@code KubernetesResource}).
     */
    static Config kubeconfig(String content, KubernetesSerialization serialization) {
        Config config = Config.empty();
        KubeConfigUtils.merge(config, null, serialization.unmarshal(content,
                io.fabric8.kubernetes.api.model.Config.class));
        return config;
    }

    static KubernetesSerialization serialization() {
        JsonMapper mapper = JsonMapper.builderWithJackson2Defaults().addModule(new Jackson2JdkTypesModule()).build();
        KubernetesSerialization serialization = new KubernetesSerialization(mapper, false);
        KINDS.forEach(serialization::registerKubernetesResource);
        return serialization;
    }
}
