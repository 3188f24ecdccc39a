/**
 * {@code egressgateway ctl}: explaining a pod's egress, the whole state at a glance, and moving an
 * EIP by hand. Read once through {@link io.egressgateway.application.port.out.ReadEgressStatePort};
 * policy semantics come from the domain ({@code PolicyMatch}, {@code EipMoveRules}); results are
 * values the bootstrap prints as text, JSON or YAML.
 */
package io.egressgateway.application.ctl;
