import type { InquirySummary } from '$lib/server/inquiries/index.js';
import { apiGet } from '$lib/web/api.server';
import { registerCan } from '$lib/web/components/register.server';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const load: PageServerLoad = async (event) => {
  const p = event.url.searchParams;
  const filters: Record<string, string> = {};
  const status = p.get('status') ?? '';
  if (['overdue', 'sent', 'answered'].includes(status)) filters.status = status;
  const body = p.get('body')?.trim();
  if (body) filters.body = body.slice(0, 300);
  for (const name of ['from', 'to']) if (DAY.test(p.get(name) ?? '')) filters[name] = p.get(name)!;
  if (filters.from && filters.to && filters.from > filters.to) delete filters.to;
  const offset = Math.max(0, Math.floor(Number(p.get('offset')) || 0));
  // The API orders them: overdue first, then sent by due date, then answered.
  const list = await apiGet<{ items: InquirySummary[]; nextOffset: number | null }>(
    event,
    `/inquiries?${new URLSearchParams({ ...filters, limit: String(PAGE_SIZE), offset: String(offset) })}`,
  );
  return {
    inquiries: list.items,
    filters,
    offset,
    nextOffset: list.nextOffset,
    previousOffset: offset > 0 ? Math.max(0, offset - PAGE_SIZE) : null,
    can: registerCan(event.locals.user),
  };
};
