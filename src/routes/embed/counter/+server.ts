import { createHash } from 'node:crypto';
import type { RequestHandler } from './$types';
import * as m from '$lib/paraglide/messages';
import { isLocale, localizePath } from '$lib/web/locale';
import { SERVICES, type PublicCounters, type Service } from '$lib/server/crisis/index.js';

/**
 * The embeddable counter: a tiny HTML page other sites put in an iframe (`/hy/embed/counter?service=gas`, or
 * `?lang=hy`). No JavaScript, one request: the few style rules are inline, allowed by this response's own CSP through
 * their hash. It is the one page that may be framed by any site; everything else keeps `frame-ancestors 'none'`.
 * Cacheable: the body changes once a day at most, and an ETag turns revalidations into 304s.
 */

const STYLE =
  'body{margin:0;font:16px/1.3 system-ui,sans-serif;color:#1b1f24;background:#fff}' +
  'main{padding:.75rem 1rem}p,h1{margin:0}h1{font-size:1rem}.n{font-size:2.2rem;font-weight:700}.s{color:#4a5360;font-size:.9rem}' +
  'a{color:#0b5cad}';
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
const CSP = [
  "default-src 'none'",
  `style-src 'sha256-${STYLE_HASH}'`,
  "base-uri 'none'",
  "form-action 'none'",
  'frame-ancestors *',
].join('; ');

const SERVICE_NAMES: Record<Service, (i?: object, o?: { locale?: 'en' | 'fr' | 'hy' | 'ru' }) => string> = {
  gas: m.crisis_service_gas,
  electricity: m.crisis_service_electricity,
  internet: m.crisis_service_internet,
  mobile: m.crisis_service_mobile,
  water: m.crisis_service_water,
  fuel: m.crisis_service_fuel,
  custom: m.crisis_service_custom,
};

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const GET: RequestHandler = async (event) => {
  const asked = event.url.searchParams.get('lang') ?? undefined;
  const locale = isLocale(asked) ? asked : event.locals.locale;
  const wanted = event.url.searchParams.get('service');
  const service = (SERVICES as readonly string[]).includes(wanted ?? '') ? (wanted as Service) : null;

  const res = await event.fetch(`/api/public/counters?lang=${locale}`, { headers: { accept: 'application/json' } });
  if (!res.ok)
    return new Response(null, { status: res.status === 404 ? 404 : 503, headers: { 'cache-control': 'no-store' } });
  const c = (await res.json()) as PublicCounters;
  const opts = { locale };
  const name = c.crisis.name[locale] ?? c.crisis.name.en ?? Object.values(c.crisis.name)[0] ?? '';
  const nameLang = c.crisis.name[locale] ? locale : c.crisis.name.en ? 'en' : (Object.keys(c.crisis.name)[0] ?? locale);
  const counter = service ? c.disruptions.find((d) => d.service === service) : undefined;
  const dateText = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${c.asOf}T00:00:00Z`),
  );

  const figure = service
    ? `<p class="n">${counter?.anyDays ?? 0}</p><p>${escape(m.crisis_embed_days_without({ service: SERVICE_NAMES[service]({}, opts).toLowerCase() }, opts))}${counter?.ongoing ? ` · ${escape(m.crisis_embed_cut_now({}, opts))}` : ''}</p>`
    : `<p class="n">${escape(m.crisis_day_n({ n: String(c.day) }, opts))}</p>`;
  const more = new URL(localizePath('/', locale), event.url.origin).href;
  const body =
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${escape(name)}</title><style>${STYLE}</style></head><body><main>` +
    `<h1 lang="${escape(nameLang)}">${escape(name)}</h1>${figure}` +
    `<p class="s">${escape(m.crisis_as_of({ date: dateText }, opts))} · <a href="${escape(more)}" target="_blank" rel="noopener">${escape(m.crisis_embed_more({}, opts))}</a></p>` +
    `</main></body></html>`;

  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const headers = {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': CSP,
    'cache-control': 'public, max-age=300, stale-while-revalidate=3600',
    etag,
    vary: 'Accept-Encoding',
  };
  if (event.request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
  return new Response(body, { headers });
};
