import * as m from '$lib/paraglide/messages';
import type { EditionStatus } from '$lib/server/reports/index.js';

export const STATUS_LABELS: Record<EditionStatus, () => string> = {
  building: m.rep_status_building,
  draft: m.rep_status_draft,
  failed: m.rep_status_failed,
  published: m.rep_status_published,
};

export const STAGE_LABELS: Record<string, () => string> = {
  queued: m.rep_stage_queued,
  counters: m.rep_stage_counters,
  rights: m.rep_stage_rights,
  figures: m.rep_stage_figures,
  pdf: m.rep_stage_pdf,
  done: m.rep_stage_done,
};
