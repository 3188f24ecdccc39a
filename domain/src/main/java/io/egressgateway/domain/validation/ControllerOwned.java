package io.egressgateway.domain.validation;

import java.util.List;
import java.util.Set;

/**
 * EgressNode, EgressEndpointSlice and EgressClusterInfo are written by the controller (and an
 * agent's own node status); anyone else gets a clear refusal instead of a silent overwrite later.
 */
public final class ControllerOwned {
    public static final Set<String> KINDS = Set.of("EgressNode", "EgressEndpointSlice", "EgressClusterInfo");

    private ControllerOwned() {
    }

    /**
     * @param kind            the object's kind
     * @param username        who asks (AdmissionReview userInfo.username)
     * @param allowedUsers    the controller's and the agents' service-account user names
     */
    public static List<Violation> validate(String kind, String username, Set<String> allowedUsers) {
        if (!KINDS.contains(kind) || allowedUsers.contains(username)) {
            return List.of();
        }
        return List.of(new Violation("metadata", kind, kind + " is written by the egressgateway controller only; "
                + username + " may read it but not change it"));
    }
}
