import { z } from 'zod';
import { defineRoutes } from './route';
import { draftProblemCodes, draftUnitKinds, limits, type DraftUnitKind } from './values';

/** One unit of a structured draft: an article, a paragraph, a point… with the units inside it. */
export interface DraftUnit {
  kind: DraftUnitKind;
  /** The number as written ("12а", "3", "б", "I"); null for the preamble and provisions blocks. */
  number: string | null;
  /** How Bulgarian citations name it: "Чл. 12а", "ал. 3", "т. 2", "буква „б“", "§ 4". */
  label: string;
  title: string | null;
  /** The unit's own text, without its children's. */
  text: string;
  /** The URL fragment that links to it, stable while its numbers stay (`chl-12a-al-3`). */
  anchor: string;
  /** The line of the text where it starts. */
  line: number;
  children: DraftUnit[];
}

export const draftUnitSchema: z.ZodType<DraftUnit> = z
  .object({
    kind: z.enum(draftUnitKinds),
    number: z.string().nullable(),
    label: z.string(),
    title: z.string().nullable(),
    text: z.string(),
    anchor: z.string(),
    line: z.number().int().min(1),
    children: z.array(z.lazy(() => draftUnitSchema)),
  })
  // Named, so that the OpenAPI document can refer to it from itself.
  .meta({ id: 'DraftUnit' });

/** Something staff should look at before publishing, in the caller's language. */
export const draftProblemSchema = z.object({
  code: z.enum(draftProblemCodes),
  message: z.string(),
  line: z.number().int().min(1).optional(),
  label: z.string().optional(),
  expected: z.string().optional(),
  found: z.string().optional(),
});
export type DraftProblem = z.infer<typeof draftProblemSchema>;

export const recogniseDraftBodySchema = z.object({ text: z.string().max(limits.draftText) });

export const recognisedDraftSchema = z.object({
  units: z.array(draftUnitSchema),
  problems: z.array(draftProblemSchema),
});
export type RecognisedDraft = z.infer<typeof recognisedDraftSchema>;

export const draftRoutes = defineRoutes({
  /** Nothing is stored: staff check and correct the structure before it becomes a version. */
  recogniseDraft: {
    method: 'POST',
    path: '/api/admin/drafts/recognise',
    access: 'admin',
    tag: 'admin',
    summary:
      'Recognise the structure of a draft act pasted as text (chapters, sections, articles, paragraphs, points, letters, §§) and list numbering problems; nothing is stored',
    body: recogniseDraftBodySchema,
    response: recognisedDraftSchema,
    errors: [400, 401, 403, 413],
  },
});
