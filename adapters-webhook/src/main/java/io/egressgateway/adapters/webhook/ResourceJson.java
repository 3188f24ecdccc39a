package io.egressgateway.adapters.webhook;

import io.egressgateway.application.port.in.FieldViolation;
import io.egressgateway.domain.model.AllocatorPolicy;
import io.egressgateway.domain.model.AppliedTo;
import io.egressgateway.domain.model.EgressIpMode;
import io.egressgateway.domain.model.EgressIpSpec;
import io.egressgateway.domain.model.EipAssignment;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.GatewayStatus;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.NodeReadiness;
import io.egressgateway.domain.model.Policy;
import io.egressgateway.domain.model.PolicyStatus;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Maps the JSON of an EgressGateway or EgressGatewayPolicy (as the API server sends it in an
 * AdmissionReview) to the domain records. Only what admission decides on is read from status.
 * Type errors go to the {@link JsonFields} violations; the mapping itself never throws.
 */
final class ResourceJson {
    private ResourceJson() {
    }

    static Gateway gateway(JsonNode obj, JsonFields f) {
        JsonNode meta = f.object(obj, "metadata", "metadata");
        JsonNode spec = f.object(obj, "spec", "spec");
        JsonNode pools = f.object(spec, "ippools", "spec.ippools");
        IpPools ippools = pools == null ? null : new IpPools(
                f.strings(pools, "ipv4", "spec.ippools.ipv4"), f.strings(pools, "ipv6", "spec.ippools.ipv6"),
                f.string(pools, "ipv4DefaultEIP", "spec.ippools.ipv4DefaultEIP"),
                f.string(pools, "ipv6DefaultEIP", "spec.ippools.ipv6DefaultEIP"));
        return new Gateway(name(meta, f), f.int64(meta, "generation", "metadata.generation"),
                selector(spec, "nodeSelector", "spec.nodeSelector", f), ippools,
                f.bool(spec, "clusterDefault", "spec.clusterDefault"), gatewayStatus(obj, f));
    }

    static Policy policy(JsonNode obj, JsonFields f) {
        JsonNode meta = f.object(obj, "metadata", "metadata");
        JsonNode spec = f.object(obj, "spec", "spec");
        JsonNode applied = f.object(spec, "appliedTo", "spec.appliedTo");
        AppliedTo appliedTo = applied == null ? null : new AppliedTo(
                selector(applied, "podSelector", "spec.appliedTo.podSelector", f),
                selector(applied, "namespaceSelector", "spec.appliedTo.namespaceSelector", f),
                f.strings(applied, "podSubnet", "spec.appliedTo.podSubnet"));
        JsonNode eip = f.object(spec, "egressIP", "spec.egressIP");
        EgressIpSpec egressIp = eip == null ? null : new EgressIpSpec(
                f.enumValue(eip, "mode", "spec.egressIP.mode", ResourceJson::mode, "EgressIP, NodeIP, None"),
                f.string(eip, "ipv4", "spec.egressIP.ipv4"), f.string(eip, "ipv6", "spec.egressIP.ipv6"),
                f.enumValue(eip, "allocatorPolicy", "spec.egressIP.allocatorPolicy", ResourceJson::allocator,
                        "default, rr"));
        JsonNode status = f.object(obj, "status", "status");
        JsonNode statusEip = f.object(status, "eip", "status.eip");
        PolicyStatus ps = status == null ? null : new PolicyStatus(0,
                f.string(statusEip, "ipv4", "status.eip.ipv4"), f.string(statusEip, "ipv6", "status.eip.ipv6"),
                null, null, 0, null);
        return new Policy(name(meta, f), f.int64(meta, "generation", "metadata.generation"),
                f.string(spec, "egressGatewayName", "spec.egressGatewayName"), appliedTo,
                f.strings(spec, "destCIDR", "spec.destCIDR"), egressIp,
                f.int32(spec, "priority", "spec.priority"), ps);
    }

    private static String name(JsonNode meta, JsonFields f) {
        String n = f.string(meta, "name", "metadata.name");
        return n == null ? "" : n;
    }

    private static EgressIpMode mode(String s) {
        for (EgressIpMode m : EgressIpMode.values()) {
            if (m.name().equals(s)) {
                return m;
            }
        }
        return null;
    }

    private static AllocatorPolicy allocator(String s) {
        for (AllocatorPolicy a : AllocatorPolicy.values()) {
            if (a.text().equals(s)) {
                return a;
            }
        }
        return null;
    }

    private static LabelSelector.Requirement.Operator operator(String s) {
        for (LabelSelector.Requirement.Operator o : LabelSelector.Requirement.Operator.values()) {
            if (o.name().equals(s)) {
                return o;
            }
        }
        return null;
    }

    static LabelSelector selector(JsonNode parent, String key, String field, JsonFields f) {
        JsonNode s = f.object(parent, key, field);
        if (s == null) {
            return null;
        }
        List<LabelSelector.Requirement> reqs = new ArrayList<>();
        List<JsonNode> exprs = f.objects(s, "matchExpressions", field + ".matchExpressions");
        if (exprs != null) {
            for (int i = 0; i < exprs.size(); i++) {
                String at = field + ".matchExpressions[" + i + "]";
                JsonNode e = exprs.get(i);
                LabelSelector.Requirement.Operator op = f.enumValue(e, "operator", at + ".operator",
                        ResourceJson::operator, "In, NotIn, Exists, DoesNotExist");
                if (JsonFields.absent(e.get("operator"))) {
                    f.add(new FieldViolation(at + ".operator", "", "is required"));
                }
                String k = f.string(e, "key", at + ".key");
                if (op != null) {
                    reqs.add(new LabelSelector.Requirement(k, op, f.strings(e, "values", at + ".values")));
                }
            }
        }
        return new LabelSelector(f.stringMap(s, "matchLabels", field + ".matchLabels"), reqs);
    }

    private static GatewayStatus gatewayStatus(JsonNode obj, JsonFields f) {
        JsonNode status = f.object(obj, "status", "status");
        if (status == null) {
            return null;
        }
        List<GatewayNode> nodes = new ArrayList<>();
        List<JsonNode> list = f.objects(status, "nodeList", "status.nodeList");
        for (JsonNode n : list == null ? List.<JsonNode>of() : list) {
            List<EipAssignment> eips = new ArrayList<>();
            List<JsonNode> el = f.objects(n, "eips", "status.nodeList.eips");
            for (JsonNode e : el == null ? List.<JsonNode>of() : el) {
                List<String> users = new ArrayList<>();
                List<JsonNode> pl = f.objects(e, "policies", "status.nodeList.eips.policies");
                for (JsonNode p : pl == null ? List.<JsonNode>of() : pl) {
                    String pn = f.string(p, "name", "status.nodeList.eips.policies.name");
                    if (pn != null) {
                        users.add(pn);
                    }
                }
                eips.add(new EipAssignment(f.string(e, "ipv4", "status.nodeList.eips.ipv4"),
                        f.string(e, "ipv6", "status.nodeList.eips.ipv6"), users));
            }
            String name = f.string(n, "name", "status.nodeList.name");
            String ready = f.string(n, "status", "status.nodeList.status");
            nodes.add(new GatewayNode(name == null ? "" : name, readiness(ready), false, List.of(), eips));
        }
        return new GatewayStatus(0, null, nodes, null, null, null);
    }

    /** Readiness as stored; anything else is Unknown (a move request to such a node is refused). */
    private static NodeReadiness readiness(String text) {
        for (NodeReadiness r : NodeReadiness.values()) {
            if (r.name().equals(text)) {
                return r;
            }
        }
        return NodeReadiness.Unknown;
    }
}
