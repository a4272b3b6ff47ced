import { api } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const open = await api.consultations(event, { state: 'open', pageSize: 3 });
  // The home page stays up when the list cannot be read; the section then says nothing is open.
  return { openConsultations: open.ok ? open.data : null };
};
