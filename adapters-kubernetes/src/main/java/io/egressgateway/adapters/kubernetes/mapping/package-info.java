/**
 * Translation between the fabric8 classes (CRs, Nodes, Pods, Conditions) and the domain records.
 * Nothing outside this adapter sees a fabric8 type; nothing here decides anything.
 */
package io.egressgateway.adapters.kubernetes.mapping;
