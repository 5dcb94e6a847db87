import { error, fail } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import type { Activity, Crisis, Disruption, Indicator, KeyFigure, PublicCounters } from '$lib/server/crisis/index.js';
import { apiGet, callApi } from '$lib/web/api.server';
import { apiFailure, field } from '$lib/web/forms.server';
import { crisisCan, DAY, sourceOptions } from '$lib/web/components/crisis/crisis.server';
import type { Actions, PageServerLoad } from './$types';

type Series = { items: { asOf: string; day: number; cumulative: number; expected: number }[] };

export const load: PageServerLoad = async (event) => {
  const can = crisisCan(event.locals.user);
  if (!can.read) error(403, { message: m.error_forbidden() });
  const found = await callApi<Crisis>(event, 'GET', '/crisis');
  if (!found.ok) {
    if (found.status === 404) return { crisis: null, can };
    await apiGet(event, '/crisis');
  }
  const crisis = (found as { data: Crisis }).data;
  const lang = event.locals.locale;
  const wanted = event.url.searchParams.get('asOf') ?? '';
  let asOfError: string | undefined;
  let counters: PublicCounters | undefined;
  if (DAY.test(wanted)) {
    const r = await callApi<PublicCounters>(event, 'GET', `/public/counters?asOf=${wanted}&lang=${lang}`);
    if (r.ok) counters = r.data;
    else asOfError = r.status === 400 ? m.crisis_err_before_start({ date: crisis.startDate }) : m.crisis_err_day();
  } else if (wanted) asOfError = m.crisis_err_day();
  counters ??= await apiGet<PublicCounters>(event, `/public/counters?lang=${lang}`);
  const asOf = counters.asOf;
  const [disruptions, indicators, keyFigures, activity, sources] = await Promise.all([
    apiGet<{ items: Disruption[] }>(event, '/disruptions'),
    apiGet<{ items: Indicator[] }>(event, '/indicators'),
    apiGet<{ items: KeyFigure[] }>(event, `/key-figures?asOf=${asOf}`),
    apiGet<Activity>(event, `/crisis/activity?limit=10&lang=${lang}`),
    sourceOptions(event),
  ]);
  const series = Object.fromEntries(
    await Promise.all(
      indicators.items.map(
        async (i) =>
          [
            i.id,
            (await apiGet<Series>(event, `/indicators/${i.id}/series`)).items.filter((p) => p.asOf <= asOf),
          ] as const,
      ),
    ),
  );
  return {
    crisis,
    can,
    counters,
    asOfError,
    asOfWanted: wanted,
    disruptions: disruptions.items,
    indicators: indicators.items,
    series,
    keyFigures: keyFigures.items,
    activity: activity.items,
    sources: Object.fromEntries(sources.map((s) => [s.value, s.label])),
  };
};

export const actions: Actions = {
  deleteKeyFigure: async (event) => {
    const id = field(await event.request.formData(), 'id');
    if (!id) return fail(400, { form: 'key-figure' });
    const result = await callApi(event, 'DELETE', `/key-figures/${encodeURIComponent(id)}`);
    if (!result.ok) return apiFailure(event, 'key-figure', result);
    return { form: 'key-figure', message: m.crisis_deleted() };
  },
};
