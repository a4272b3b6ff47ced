import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { commentListQuerySchema } from './comments';
import { moderationActionSchema, moderationQueueQuerySchema } from './moderation';
import { reportTotalsSchema } from './report';
import {
  commentOrders,
  commentStances,
  isFinalDecision,
  moderationActions,
  moderationQueueOrders,
  proposalDecisions,
  roleAtLeast,
  surveyConditionMet,
} from './values';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The modules a file really loads at run time: what is left of its imports and re-exports once
 * TypeScript has erased the type-only ones.
 */
function runtimeImports(file: string): string[] {
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  return [...outputText.matchAll(/(?:^|\s)(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/g)]
    .concat([...outputText.matchAll(/\bimport\s*\(?\s*['"]([^'"]+)['"]/g)])
    .map((match) => match[1] ?? '');
}

/** Every module the file loads, itself included, following relative imports. */
function moduleGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (graph.has(file)) continue;
    const imports = runtimeImports(file);
    graph.set(file, imports);
    for (const specifier of imports) {
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), `${specifier}.ts`));
    }
  }
  return graph;
}

describe('the zod-free entry (@sabor/contracts/values)', () => {
  it('loads no package at all, so zod never reaches the browser through it', () => {
    const graph = moduleGraph(resolve(here, 'values.ts'));
    // The walk itself works: values.ts re-exports its zod-free neighbours.
    expect([...graph.keys()].map((file) => file.slice(here.length + 1)).sort()).toEqual([
      'audit-actions.ts',
      'live-topics.ts',
      'moderation-labels.ts',
      'values.ts',
    ]);
    for (const [file, imports] of graph) {
      expect(
        imports.filter((specifier) => !specifier.startsWith('.')),
        file,
      ).toEqual([]);
    }
  });

  it('is what the package exports as ./values', () => {
    const manifest = JSON.parse(readFileSync(resolve(here, '../package.json'), 'utf8')) as {
      exports: Record<string, string>;
    };
    expect(manifest.exports['./values']).toBe('./src/values.ts');
  });
});

describe('schemas and values agree', () => {
  it('on the moderation actions a decision may take', () => {
    const schemaActions = moderationActionSchema.options.map((option) => option.shape.action.value);
    expect(schemaActions).toEqual([...moderationActions]);
  });

  it('on the decisions and stances the report counts', () => {
    expect(Object.keys(reportTotalsSchema.shape.byDecision.shape).sort()).toEqual(
      [...proposalDecisions, 'none'].sort(),
    );
    expect(Object.keys(reportTotalsSchema.shape.byStance.shape).sort()).toEqual(
      [...commentStances, 'none'].sort(),
    );
  });

  it('on the default orders (the first of each list)', () => {
    expect(commentListQuerySchema.parse({}).order).toBe(commentOrders[0]);
    expect(moderationQueueQuerySchema.parse({}).order).toBe(moderationQueueOrders[0]);
  });
});

describe('the role ladder', () => {
  it('lets each role do what the roles below it may, and nobody signed out', () => {
    expect(roleAtLeast('admin', 'moderator')).toBe(true);
    expect(roleAtLeast('moderator', 'moderator')).toBe(true);
    expect(roleAtLeast('moderator', 'admin')).toBe(false);
    expect(roleAtLeast('resident', 'moderator')).toBe(false);
    expect(roleAtLeast('resident', 'resident')).toBe(true);
    expect(roleAtLeast(null, 'resident')).toBe(false);
    expect(roleAtLeast(undefined, 'resident')).toBe(false);
  });
});

describe('proposal decisions', () => {
  it('are final when accepted, partly accepted or not accepted', () => {
    expect(proposalDecisions.filter((decision) => isFinalDecision(decision))).toEqual([
      'accepted',
      'partly_accepted',
      'not_accepted',
    ]);
    expect(isFinalDecision(null)).toBe(false);
  });
});

describe('a survey condition', () => {
  const condition = { questionId: 'q1', optionIds: ['a', 'b'] };

  it('shows its question when the named answer chose one of its options', () => {
    expect(surveyConditionMet(condition, ['b'])).toBe(true);
    expect(surveyConditionMet(condition, ['c', 'a'])).toBe(true);
  });

  it('hides it when the named answer chose none of them, is empty or is not shown', () => {
    expect(surveyConditionMet(condition, ['c'])).toBe(false);
    expect(surveyConditionMet(condition, [])).toBe(false);
    expect(surveyConditionMet(condition, undefined)).toBe(false);
  });

  it('always shows a question without one', () => {
    expect(surveyConditionMet(null, undefined)).toBe(true);
    expect(surveyConditionMet(undefined, [])).toBe(true);
  });
});
