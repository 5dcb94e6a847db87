import { acceptInvitation, loadInvitation } from '$lib/web/invitation.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadInvitation(event);

export const actions: Actions = { default: (event) => acceptInvitation(event) };
