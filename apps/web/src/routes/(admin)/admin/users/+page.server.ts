import { roleSchema, roles } from '@sabor/contracts';
import { api } from '$lib/server/api';
import { failFields, failWith, formText, redirectIfSignedOut } from '$lib/server/form';
import { dataOrError } from '$lib/server/load';
import type { Actions, PageServerLoad } from './$types';

function pageNumber(value: string | null): number {
  const page = Number(value);
  return Number.isInteger(page) && page >= 1 ? page : 1;
}

export const load: PageServerLoad = async (event) => {
  const params = event.url.searchParams;
  const filters = {
    q: params.get('q')?.trim() ?? '',
    role: roleSchema.safeParse(params.get('role')).data,
    page: pageNumber(params.get('page')),
  };
  const list = dataOrError(
    await api.users(event, { query: { ...filters, q: filters.q || undefined, pageSize: 20 } }),
    event.url,
  );
  // "Suspend…" links open a confirmation step for a person listed on this page.
  const suspendId = params.get('suspend');
  const suspendTarget = list.items.find((u) => u.id === suspendId && !u.suspended) ?? null;
  return { filters, list, suspendTarget, roles };
};

export const actions: Actions = {
  role: async (event) => {
    const form = await event.request.formData();
    const role = roleSchema.safeParse(formText(form, 'role'));
    if (!role.success) return failFields(event.locals.locale, { role: 'invalid' }, {});
    const result = await api.changeRole(event, {
      params: { id: formText(form, 'id') },
      body: { role: role.data },
    });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, {});
    }
    return { done: 'role' as const, name: result.data.displayName };
  },
  suspend: async (event) => {
    const form = await event.request.formData();
    const reason = formText(form, 'reason').trim();
    if (reason === '') return failFields(event.locals.locale, { reason: 'required' }, { reason });
    const result = await api.suspend(event, {
      params: { id: formText(form, 'id') },
      body: { reason },
    });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, { reason });
    }
    return { done: 'suspended' as const, name: result.data.displayName };
  },
  unsuspend: async (event) => {
    const form = await event.request.formData();
    const result = await api.unsuspend(event, { params: { id: formText(form, 'id') } });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, {});
    }
    return { done: 'unsuspended' as const, name: result.data.displayName };
  },
};
