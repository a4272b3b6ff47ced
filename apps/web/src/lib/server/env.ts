import { z } from 'zod';

const environmentSchema = z.object({
  /** Where the API listens; the production server sets it to itself. */
  SABOR_API_URL: z
    .url({ protocol: /^https?$/ })
    .default('http://127.0.0.1:3000')
    .transform((value) => value.replace(/\/+$/, '')),
});

/** The web app's environment: this module is the only reader of process.env. */
export const env = environmentSchema.parse(process.env);
