/**
 * Admission rules as pure functions: validators return every violation (field path, offending
 * value, message), never only the first, and defaulters return the changes to make as JSON-patch
 * operations, so the webhook adapter only translates between AdmissionReview and these values.
 */
package io.egressgateway.domain.validation;
