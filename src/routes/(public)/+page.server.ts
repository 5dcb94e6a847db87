import type { z } from 'zod';
import { getLocale } from '$lib/paraglide/runtime';
import type { PublicCounters } from '$lib/server/crisis/index.js';
import type { PublicPhoto } from '$lib/server/photos/index.js';
import type { HighlightPageSchema } from '$lib/server/portal/index.js';
import type { PublicRecordList } from '$lib/server/records/index.js';
import type { EditionSummary, LocalText } from '$lib/server/reports/index.js';
import type { HealthSchema } from '$lib/server/system/index.js';
import { callApi } from '$lib/web/api.server';
import type { PageServerLoad } from './$types';
import { cardOf } from './photos/pictures.server';
import { LANGS, originalLang, shown } from './records/present';

const LATEST_RECORDS = 5;
const LATEST_PHOTOS = 4;

type Edition = EditionSummary & { reportTitle: LocalText };

/**
 * Every section reads its own public endpoint and stands alone: one that fails or has nothing published shows its
 * own "nothing yet", never an error page for the whole home.
 */
export const load: PageServerLoad = async (event) => {
  const locale = getLocale();
  const [health, highlights, counters, records, editions, photos] = await Promise.all([
    callApi<z.infer<typeof HealthSchema>>(event, 'GET', '/health'),
    callApi<z.infer<typeof HighlightPageSchema>>(event, 'GET', '/portal/highlights'),
    callApi<PublicCounters>(event, 'GET', `/public/counters?lang=${locale}`),
    callApi<PublicRecordList>(event, 'GET', `/public/records?sort=date&limit=${LATEST_RECORDS}`),
    callApi<{ items: Edition[] }>(event, 'GET', '/public/editions'),
    callApi<{ items: PublicPhoto[] }>(event, 'GET', `/public/photos?limit=${LATEST_PHOTOS}`),
  ]);

  // The current edition: the newest one not superseded, in the reader's language when there is one.
  const current = (editions.ok ? editions.data.items : []).filter((e) => e.supersededBy === null);
  const edition = current.find((e) => e.lang === locale) ?? current[0] ?? null;

  const c = counters.ok ? counters.data : null;
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
    counters: c && {
      day: c.day,
      asOf: c.asOf,
      crisis: { name: shown(c.crisis.name, null, locale), startDate: c.crisis.startDate, status: c.crisis.status },
      disruptions: c.disruptions.map((d) => ({
        service: d.service,
        label: d.label,
        anyDays: d.anyDays,
        completeDays: d.completeDays,
        partialDays: d.partialDays,
        ongoing: d.ongoing,
        currentCutSince: d.currentCutSince,
        illustrative: d.illustrative,
      })),
      indicators: c.indicators.map((i) => ({
        id: i.id,
        name: shown(i.name, null, locale),
        unit: shown(i.unit, null, locale),
        expected: i.expected,
        observed: i.observed,
        text: i.text,
        illustrative: i.illustrative,
      })),
      keyFigures: c.keyFigures.map((f) => ({
        id: f.id,
        label: shown(f.label, null, locale),
        unit: f.unit && shown(f.unit, null, locale),
        value: f.value,
        asOf: f.asOf,
        illustrative: f.illustrative,
        source: f.source,
      })),
    },
    records: (records.ok ? records.data.items : []).map((r) => {
      const original = originalLang(r.texts);
      return {
        id: r.id,
        code: r.code,
        title: shown(Object.fromEntries(LANGS.map((l) => [l, r.texts[l]?.title])), original, locale),
        verification: r.verification,
        startDate: r.startDate,
        startPrecision: r.startPrecision,
        endDate: r.endDate,
        endPrecision: r.endPrecision,
        ongoing: r.ongoing,
        places: r.places.map((p) => p.name),
      };
    }),
    edition: edition && {
      id: edition.id,
      lang: edition.lang,
      asOf: edition.asOf,
      title: edition.reportTitle,
      pages: edition.pages,
      pdf: edition.pdfSha256 ? `/api/public/editions/${edition.id}/pdf` : null,
    },
    photos: (photos.ok ? photos.data.items : []).map(cardOf).filter((p) => p.picture !== null),
  };
};
