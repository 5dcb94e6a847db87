/**
 * The record form's data: what the inputs hold (all text, so that a refused submission comes back exactly as
 * typed), how a record fills them, and how they become the API's input. Field names are the API's error paths
 * (`texts.fr.title`, `affected.children`, `responsible.2.attribution`), so an error lands next to its field.
 */
import type { AffectedGroup, RecordView } from '$lib/server/records/index.js';
import { LANG_ORDER, type Lang } from './register';

export const GROUPS: readonly AffectedGroup[] = [
  'individuals',
  'children',
  'women',
  'olderPersons',
  'personsWithDisabilities',
  'displaced',
  'wholePopulation',
];

export interface TextDraft {
  title: string;
  summary: string;
  description: string;
  translationStatus: string;
}

export interface RecordDraft {
  texts: Record<Lang, TextDraft>;
  violationType: string;
  startDate: string;
  startPrecision: string;
  endDate: string;
  endPrecision: string;
  ongoing: boolean;
  affected: Record<AffectedGroup, string>;
  responsible: { name: string; attribution: string }[];
  placeIds: string[];
  rightIds: string[];
  tags: string;
  links: { kind: string; recordId: string }[];
  confidentiality: string;
  verification: string;
  verificationNote: string;
  accessUserIds: string;
  accessGroupIds: string[];
}

const emptyText = (): TextDraft => ({ title: '', summary: '', description: '', translationStatus: 'original' });

export function emptyDraft(): RecordDraft {
  return {
    texts: { en: emptyText(), fr: emptyText(), hy: emptyText(), ru: emptyText() },
    violationType: '',
    startDate: '',
    startPrecision: '',
    endDate: '',
    endPrecision: '',
    ongoing: false,
    affected: Object.fromEntries(GROUPS.map((g) => [g, ''])) as Record<AffectedGroup, string>,
    responsible: [],
    placeIds: [],
    rightIds: [],
    tags: '',
    links: [],
    confidentiality: 'internal',
    verification: 'reported',
    verificationNote: '',
    accessUserIds: '',
    accessGroupIds: [],
  };
}

export function draftOf(r: RecordView): RecordDraft {
  const d = emptyDraft();
  for (const lang of LANG_ORDER) {
    const t = r.texts[lang];
    if (t)
      d.texts[lang] = {
        title: t.title,
        summary: t.summary,
        description: t.description ?? '',
        translationStatus: t.translationStatus,
      };
  }
  return {
    ...d,
    violationType: r.violationType ?? '',
    startDate: r.startDate ?? '',
    startPrecision: r.startPrecision ?? '',
    endDate: r.endDate ?? '',
    endPrecision: r.endPrecision ?? '',
    ongoing: r.ongoing,
    affected: Object.fromEntries(GROUPS.map((g) => [g, r.affected[g] == null ? '' : String(r.affected[g])])) as Record<
      AffectedGroup,
      string
    >,
    responsible: r.responsible.map((x) => ({ ...x })),
    placeIds: [...r.placeIds],
    rightIds: [...r.rightIds],
    tags: r.tags.join(', '),
    links: r.links.map((l) => ({ kind: l.kind, recordId: l.recordId })),
    confidentiality: r.confidentiality,
    verification: r.verification,
    verificationNote: '',
    accessUserIds: r.accessUserIds.join('\n'),
    accessGroupIds: [...r.accessGroupIds],
  };
}

/** Blank rows offered after the filled ones, so that a row can be added without JavaScript. */
export const SPARE_ROWS = 2;
