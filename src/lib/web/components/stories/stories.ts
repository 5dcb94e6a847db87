/**
 * The people registry's and the stories' vocabulary for pages, typed against the server schemas' lists (types only),
 * and the PII guard's findings in the reader's language. A finding never carries the text it matched: pages show
 * where it is (field and characters) and what kind of thing it is, never the thing itself.
 */
import * as m from '$lib/paraglide/messages';
import type { IDENTIFIER_KINDS, PERSON_ROLES } from '$lib/server/people/index.js';
import type { CONSENT_SCOPES } from '$lib/server/stories/index.js';
import { LANGUAGE, nameOf } from '../register';

type Names<T extends readonly string[]> = Record<T[number], () => string>;

export const PERSON_ROLE: Names<typeof PERSON_ROLES> = {
  victim: m.ppl_role_victim,
  witness: m.ppl_role_witness,
  interviewee: m.ppl_role_interviewee,
  source: m.ppl_role_source,
};

export const IDENTIFIER_KIND: Names<typeof IDENTIFIER_KINDS> = {
  passport: m.ppl_id_passport,
  'national-id': m.ppl_id_national,
  'social-card': m.ppl_id_social_card,
  other: m.ppl_id_other,
};

export const CONSENT_SCOPE: Names<typeof CONSENT_SCOPES> = {
  text: m.story_scope_text,
  quote: m.story_scope_quote,
  photo: m.story_scope_photo,
};

export const EVIDENCE: Record<'form' | 'verbal', () => string> = {
  form: m.story_evidence_form,
  verbal: m.story_evidence_verbal,
};

export const STORY_LANG_ORDER = ['en', 'fr', 'hy', 'ru'] as const;
export type StoryLang = (typeof STORY_LANG_ORDER)[number];

/** A guard finding as pages handle it: where, and what kind (never the matched text). */
export interface GuardFinding {
  kind: string;
  field: string;
  start: number;
  end: number;
  pseudonym?: string;
}

/** "French – Narrative" for `texts.fr.narrative`. */
export function textFieldLabel(field: string): string {
  const match = /^texts\.(\w+)\.(\w+)$/.exec(field);
  if (!match) return field;
  const part = match[2] === 'title' ? m.story_title() : match[2] === 'narrative' ? m.story_narrative() : match[2]!;
  return `${nameOf(LANGUAGE, match[1]!)} – ${part}`;
}

/** What was found and where, in the reader's language: characters counted from 1, as an editor shows them. */
export function findingMessage(f: GuardFinding): string {
  const where = { from: String(f.start + 1), to: String(f.end) };
  const pseudonym = f.pseudonym ?? '?';
  switch (f.kind) {
    case 'real-name':
      return m.story_pii_real_name({ ...where, pseudonym });
    case 'name-part':
      return m.story_pii_name_part({ ...where, pseudonym });
    case 'address':
      return m.story_pii_address({ ...where, pseudonym });
    case 'phone':
      return m.story_pii_phone(where);
    case 'email':
      return m.story_pii_email(where);
    case 'id-number':
      return m.story_pii_id_number(where);
    default:
      return m.story_pii_other(where);
  }
}

/** An empty identity form (the shape of `IdentityDraft` in people.server.ts). */
export function emptyIdentity() {
  return {
    fullName: '',
    otherNames: '',
    contact: '',
    identifiers: [] as { kind: string; value: string }[],
    address: '',
    notes: '',
  };
}
