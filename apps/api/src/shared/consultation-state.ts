import { consultations, type Executor } from '@sabor/db';
import { eq } from 'drizzle-orm';

/**
 * The state of a consultation (undefined when there is none): what the features built on a
 * consultation (its comments, its followers) check before they act on it.
 */
export async function consultationStateOf(db: Executor, id: string) {
  const [row] = await db
    .select({ state: consultations.state })
    .from(consultations)
    .where(eq(consultations.id, id));
  return row?.state;
}
