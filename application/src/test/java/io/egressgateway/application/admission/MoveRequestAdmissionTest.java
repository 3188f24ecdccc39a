package io.egressgateway.application.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.application.port.in.AdmissionDecision;
import io.egressgateway.application.port.in.AdmissionRequest;
import io.egressgateway.application.port.in.AdmissionRequest.Operation;
import io.egressgateway.application.port.in.AdmissionRequest.Phase;
import io.egressgateway.application.port.in.ResourceKind;
import io.egressgateway.application.port.out.ReadClusterResourcesPort;
import io.egressgateway.domain.model.EipAssignment;
import io.egressgateway.domain.model.Gateway;
import io.egressgateway.domain.model.GatewayNode;
import io.egressgateway.domain.model.GatewayStatus;
import io.egressgateway.domain.model.IpPools;
import io.egressgateway.domain.model.LabelSelector;
import io.egressgateway.domain.model.NodeReadiness;
import io.egressgateway.domain.model.Policy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Admission of the gateway's move-eip annotation, judged on the stored status. */
class MoveRequestAdmissionTest {
    private static final String FIELD = "metadata.annotations[egressgateway.spidernet.io/move-eip]";
    private final Gateway gw = new Gateway("default", 1, LabelSelector.of(Map.of("egress", "true")),
            new IpPools(List.of("10.6.1.55-10.6.1.60"), List.of(), "10.6.1.55", null), true,
            new GatewayStatus(1, null, List.of(
                    new GatewayNode("n2", NodeReadiness.Ready, true, List.of(),
                            List.of(new EipAssignment("10.6.1.55", null, List.of("shop")))),
                    new GatewayNode("n3", NodeReadiness.Ready, false, List.of(), List.of()),
                    new GatewayNode("n4", NodeReadiness.NotReady, false, List.of(), List.of())), null, null, List.of()));
    private final AdmissionService admission = new AdmissionService(new ReadClusterResourcesPort() {
        @Override
        public List<Gateway> gateways() {
            return List.of(gw);
        }

        @Override
        public List<Policy> policies() {
            return List.of();
        }
    }, Set.of(), true);

    private AdmissionDecision update(String newValue, String oldValue) {
        return admission.admit(new AdmissionRequest("u", Phase.VALIDATE, ResourceKind.EGRESS_GATEWAY, Operation.UPDATE,
                "default", "alice", gw, gw, null, null, List.of(), true, false, List.of(), newValue, oldValue));
    }

    @Test
    void aRequestToAReadyNodeOfTheGatewayIsAllowed() {
        assertThat(update("10.6.1.55=n3@x1", null).allowed()).isTrue();
        assertThat(update("10.6.1.55=n2@x2", null).allowed()).as("already there: the controller acknowledges it").isTrue();
    }

    @Test
    void aNodeThatIsNotReadyOrNotOfTheGatewayIsRefusedNamingTheAnnotation() {
        AdmissionDecision notReady = update("10.6.1.55=n4", null);
        assertThat(notReady.allowed()).isFalse();
        assertThat(notReady.message()).contains(FIELD, "node n4 is NotReady in gateway default");
        assertThat(update("10.6.1.55=worker", null).message()).contains(FIELD,
                "node worker is not a node of gateway default");
    }

    @Test
    void anEipNotInUseOrAMalformedRequestIsRefused() {
        assertThat(update("10.6.1.56=n3", null).message()).contains("EIP 10.6.1.56 is not placed on any node");
        assertThat(update("n3", null).message()).contains(FIELD, "expected <eip>=<node>[@<id>]");
    }

    @Test
    void anUnchangedOrRemovedRequestNeverBlocksAnUpdate() {
        assertThat(update("10.6.1.55=n4", "10.6.1.55=n4").allowed()).isTrue();
        assertThat(update(null, "10.6.1.55=n4").allowed()).isTrue();
    }
}
