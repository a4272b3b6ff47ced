/*
 * Live topic names that more than one feature module publishes to, kept below them all so that
 * publishing to a consultation's thread does not tie comments, moderation and the report to the
 * consultations module.
 */

/** The live topic of one consultation. */
export const consultationTopic = (id: string) => `consultation:${id}`;
