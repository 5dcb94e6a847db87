import type { Actor } from '../http/access.js';
import type { ReportsService } from '../reports/index.js';

/**
 * The demo report (issue 6): the ombudsman's periodic report on the rights violated during the blockade, with one
 * published edition as of 2023-03-21, day 100, the date of the seed's 100-day report. The edition is built from the
 * demo data like any other: the crisis counters (the illustrative ones marked so) and the published public records;
 * the demo records are unpublished drafts (no one reviewed them), so its rights sections say that none is published
 * yet. Published by the demo reviewer account, the role that may publish an edition.
 */
export const DEMO_REPORT = {
  titles: {
    en: 'Human rights during the blockade: 100 days (demo)',
    fr: 'Les droits humains pendant le blocus : 100 jours (démo)',
    hy: 'Մարդու իրավունքները շրջափակման ընթացքում․ 100 օր (ցուցադրական)',
    ru: 'Права человека во время блокады: 100 дней (демо)',
  },
  asOf: '2023-03-21',
  lang: 'en',
} as const;

export interface DemoReportsResult {
  report: boolean;
  edition: boolean;
}

/**
 * Loads the demo report and publishes its edition. Idempotent: the report is found by its English title, and an
 * edition is built and published only when the report has no published edition in that language yet.
 */
export async function loadDemoReports(
  reports: Pick<ReportsService, 'list' | 'create' | 'build' | 'publish'>,
  reviewer: Actor,
): Promise<DemoReportsResult> {
  const result: DemoReportsResult = { report: false, edition: false };
  let report = (await reports.list()).find((r) => r.titles.en === DEMO_REPORT.titles.en);
  if (!report) {
    report = await reports.create({ titles: DEMO_REPORT.titles, recordsPerRight: 3 }, null);
    result.report = true;
  }
  if (report.editions.some((e) => e.status === 'published' && e.lang === DEMO_REPORT.lang)) return result;
  const draft = await reports.build(report.id, { asOf: DEMO_REPORT.asOf, lang: DEMO_REPORT.lang }, reviewer, {
    wait: true,
  });
  if (draft.status !== 'draft')
    throw new Error(`the demo edition could not be built: ${draft.failure ?? draft.status}`);
  await reports.publish(draft.id, reviewer);
  result.edition = true;
  return result;
}
