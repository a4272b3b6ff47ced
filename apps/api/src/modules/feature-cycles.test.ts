import { fileURLToPath } from 'node:url';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

const srcDir = fileURLToPath(new URL('..', import.meta.url));
const tsConfig = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));

/** `modules/comments/service.ts` → `comments`; files outside a feature module → undefined. */
function featureOf(file: string): string | undefined {
  return /^modules\/([^/]+)\//.exec(file)?.[1];
}

/** Which feature modules each feature module imports (type imports included), tests left out. */
async function featureGraph(): Promise<Map<string, Set<string>>> {
  const result = await madge(srcDir, {
    fileExtensions: ['ts'],
    tsConfig,
    excludeRegExp: [/\.test\.ts$/],
  });
  // An import madge cannot resolve would drop an edge and could hide a loop.
  const unresolved = result.warnings().skipped.filter((name) => name.startsWith('.'));
  if (unresolved.length > 0) throw new Error(`unresolved imports: ${unresolved.join(', ')}`);
  const graph = new Map<string, Set<string>>();
  for (const [file, imports] of Object.entries(result.obj())) {
    const from = featureOf(file);
    if (!from) continue;
    const targets = graph.get(from) ?? new Set<string>();
    graph.set(from, targets);
    for (const imported of imports) {
      const to = featureOf(imported);
      if (to && to !== from) targets.add(to);
    }
  }
  return graph;
}

/** One loop through each feature module that is on one, e.g. `comments → moderation → comments`. */
function loopsOf(graph: Map<string, Set<string>>): string[] {
  const loops = new Set<string>();
  for (const start of [...graph.keys()].sort()) {
    // Breadth-first from `start`: the shortest way back to it, if any.
    const cameFrom = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0 && !cameFrom.has(start)) {
      const at = queue.shift() as string;
      for (const next of [...(graph.get(at) ?? [])].sort()) {
        if (cameFrom.has(next)) continue;
        cameFrom.set(next, at);
        queue.push(next);
      }
    }
    if (!cameFrom.has(start)) continue;
    const path = [start];
    for (let at = cameFrom.get(start) as string; at !== start; at = cameFrom.get(at) as string) {
      path.unshift(at);
    }
    loops.add([start, ...path].join(' → '));
  }
  return [...loops];
}

describe('feature modules', () => {
  // A feature may use a lower one; pieces two features share live in src/shared/ (or the db
  // package), so that each module can be read, changed and tested from the bottom up.
  it('import each other without loops', async () => {
    const graph = await featureGraph();
    // The graph is real: moderation is built on comments (and its type imports count too).
    expect(graph.get('moderation')).toContain('comments');
    expect(loopsOf(graph)).toEqual([]);
  });
});
