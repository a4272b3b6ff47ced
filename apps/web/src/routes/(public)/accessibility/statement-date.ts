/** When the accessibility statement was prepared; update it with each review. */
export const statementDate = '2026-11-28';
