/** What the API accepts as an Idempotency-Key (printable ASCII, at most 200 characters). */
export const idempotencyKeyPattern = /^[\x21-\x7e]{1,200}$/;
