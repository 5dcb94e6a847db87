import type { z } from 'zod';
import { getLocale } from '$lib/paraglide/runtime';
import type { HighlightPageSchema } from '$lib/server/portal/index.js';
import type { HealthSchema } from '$lib/server/system/index.js';
import { callApi } from '$lib/web/api.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const [health, highlights] = await Promise.all([
    callApi<z.infer<typeof HealthSchema>>(event, 'GET', '/health'),
    callApi<z.infer<typeof HighlightPageSchema>>(event, 'GET', '/portal/highlights'),
  ]);
  const locale = getLocale();
  // Only this page's language travels to the page: four translations of every highlight would weigh four times more.
  return {
    version: health.ok ? health.data.version : null,
    highlights: (highlights.ok ? highlights.data.items : []).map((h) => ({
      id: h.id,
      text: h.text[locale],
      figure: h.figure && { value: h.figure.value, qualifier: h.figure.qualifier, label: h.figure.label[locale] },
      asOf: h.asOf,
      source: { title: h.source.title, publisher: h.source.publisher, place: h.source.place, date: h.source.date },
    })),
  };
};
