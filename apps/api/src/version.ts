/** Sabor's version, shown by /api/health and in the OpenAPI document. */
export const version = '0.1.0';
