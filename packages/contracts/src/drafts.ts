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

/** A unit as one version of a draft has it. */
const unitVersionSchema = z.object({
  kind: z.enum(draftUnitKinds),
  anchor: z.string(),
  label: z.string(),
});

/** A run of the text: the same in both versions, added in the new one, or taken out of the old. */
export const redlineSegmentSchema = z.object({
  op: z.enum(['equal', 'insert', 'delete']),
  text: z.string(),
});

/** One article or § (with its paragraphs, points and letters), or a heading, in both versions. */
export const redlineEntrySchema = z.object({
  /** Whether the text changed; `renumbered` and `moved` say what happened to its place. */
  status: z.enum(['unchanged', 'changed', 'added', 'deleted']),
  /** The unit in the old version; null when added. */
  before: unitVersionSchema.nullable(),
  /** The unit in the new version; null when deleted. */
  after: unitVersionSchema.nullable(),
  /** Its number changed ("Чл. 5" became "Чл. 6"), often only because of an inserted unit. */
  renumbered: z.boolean(),
  /** It left its place among the units kept on both sides, e.g. went to another chapter. */
  moved: z.boolean(),
  /**
   * The entry's text: title, own text, then each paragraph, point and letter on its own line as
   * the draft writes it ("(2) ...", "3. ..."). One equal, insert or delete segment unless
   * changed; then word by word, deletions before insertions.
   */
  segments: z.array(redlineSegmentSchema),
});

export const redlineSchema = z.object({
  /** In the order of the new version; a deleted entry after the one that preceded it. */
  entries: z.array(redlineEntrySchema),
  /** Moved and renumbered entries are counted within unchanged and changed too. */
  summary: z.object({
    unchanged: z.number().int(),
    changed: z.number().int(),
    added: z.number().int(),
    deleted: z.number().int(),
    moved: z.number().int(),
    renumbered: z.number().int(),
  }),
});
export type RedlineSegment = z.infer<typeof redlineSegmentSchema>;
export type RedlineEntry = z.infer<typeof redlineEntrySchema>;
export type Redline = z.infer<typeof redlineSchema>;

export const compareDraftsBodySchema = z.object({
  before: z.string().max(limits.draftText),
  after: z.string().max(limits.draftText),
});

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
  /** The redline staff check before publishing a new version; nothing is stored. */
  compareDrafts: {
    method: 'POST',
    path: '/api/admin/drafts/compare',
    access: 'admin',
    tag: 'admin',
    summary:
      'Compare two versions of a draft act pasted as text, article by article: added, deleted, changed (word by word), renumbered and moved units; nothing is stored',
    body: compareDraftsBodySchema,
    response: redlineSchema,
    errors: [400, 401, 403, 413],
  },
});
