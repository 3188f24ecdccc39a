/**
 * The fabric8 classes of the custom resources (group {@code egressgateway.spidernet.io}, version
 * {@code v1}, all cluster scoped). The CRD YAML under {@code deploy/crds/} is generated from these
 * classes by the build; change the classes, never the YAML. Fields are public and mutable because
 * Jackson and the CRD generator want plain beans; the rest of the code works on the domain records
 * that {@code mapping} turns them into.
 */
package io.egressgateway.adapters.kubernetes.crd;
