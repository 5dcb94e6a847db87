import type { Reroute } from '@sveltejs/kit';
import { splitLocale } from '$lib/web/locale';

/** Routes are written without the locale: `/fr/workspace` renders `src/routes/workspace`, on server and client. */
export const reroute: Reroute = ({ url }) => splitLocale(url.pathname).path;
