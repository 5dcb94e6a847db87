import type { PressContact } from '$lib/server/portal/index.js';
import { callApi } from '$lib/web/api.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const contact = await callApi<PressContact>(event, 'GET', '/portal/contact');
  // Not configured and not answering read the same to the public: no address to give.
  return { pressEmail: contact.ok ? contact.data.email : null };
};
