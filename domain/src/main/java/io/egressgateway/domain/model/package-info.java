/**
 * The custom resources and the cluster objects the decisions need, as plain records: what the
 * Kubernetes adapter maps fabric8 objects to and from. Addresses are canonical text; the
 * {@code net} package parses them where a decision needs arithmetic.
 */
package io.egressgateway.domain.model;
