import { z } from 'zod';

/**
 * Environment every function reads at cold start. A missing or malformed variable fails the
 * cold start with a clear message instead of failing some request later.
 */
const environmentSchema = z.object({
  TABLE_NAME: z.string().min(1),
  /** Tenant used until staff authentication exists (DESIGN §3). */
  DEFAULT_SCHOOL_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .default('demo'),
  /** ISO 3166-1 alpha-2 country for phone numbers written without a country code. */
  DEFAULT_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .default('US'),
});

export type Environment = z.infer<typeof environmentSchema>;

export function readEnvironment(source: NodeJS.ProcessEnv = process.env): Environment {
  const parsed = environmentSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid function environment — ${problems.join('; ')}`);
  }
  return parsed.data;
}
