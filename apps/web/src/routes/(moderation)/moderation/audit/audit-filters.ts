import { auditQuerySchema } from '@sabor/contracts';
import { pageNumber, searchText } from '$lib/server/list-query';

const filterNames = ['actor', 'actorId', 'action', 'targetType', 'targetId', 'from', 'to'] as const;
type FilterName = (typeof filterNames)[number];

/**
 * The audit filters of the query string: what was typed (to show it again), the values the API
 * accepts, and the names of those it would refuse (left out of the search, and said so).
 */
export function auditFilters(params: URLSearchParams) {
  const typed = {} as Record<FilterName, string>;
  const valid: Partial<Record<FilterName, string>> = {};
  const invalid: FilterName[] = [];
  for (const name of filterNames) {
    typed[name] = searchText(params.get(name), 100);
    if (typed[name] === '') continue;
    const parsed = auditQuerySchema.shape[name].safeParse(typed[name]);
    if (parsed.success && parsed.data !== undefined) valid[name] = parsed.data;
    else invalid.push(name);
  }
  // A period that ends before it starts finds nothing (the API refuses it): the end is what is wrong.
  if (valid.from && valid.to && valid.from > valid.to) {
    delete valid.to;
    invalid.push('to');
  }
  return { typed, valid, invalid, page: pageNumber(params.get('page')) };
}
