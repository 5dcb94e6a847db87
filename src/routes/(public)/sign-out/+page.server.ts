import { redirect } from '@sveltejs/kit';
import { callApi } from '$lib/web/api.server';
import { localizePath } from '$lib/web/locale';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  if (!locals.user) redirect(303, localizePath('/sign-in', locals.locale));
  return {};
};

export const actions: Actions = {
  default: async (event) => {
    // The API clears the cookie; an already ended session (401) ends up in the same place.
    await callApi(event, 'POST', '/auth/logout');
    redirect(303, `${localizePath('/sign-in', event.locals.locale)}?status=signed-out`);
  },
};
