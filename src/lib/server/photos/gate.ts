import type { ConsentRow, PhotoRow } from './repository.js';
import { CONSENT_SCOPES, type ConsentScope, type Gate } from './schema.js';

export type ConsentState = 'valid' | 'withdrawn' | 'expired' | 'not-yet';

/** A consent's state on a day (YYYY-MM-DD): an expiry date is the last day it holds. */
export function consentState(
  c: Pick<ConsentRow, 'withdrawn_at' | 'given_on' | 'expires_on'>,
  today: string,
): ConsentState {
  if (c.withdrawn_at) return 'withdrawn';
  if (c.expires_on && c.expires_on < today) return 'expired';
  if (c.given_on > today) return 'not-yet';
  return 'valid';
}

/**
 * Only each person's latest consent counts: a renewal supersedes an expired or withdrawn one. A person is their
 * registry id when the consent names one, else their label.
 */
export function currentConsents(consents: ConsentRow[]): ConsentRow[] {
  const latest = new Map<string, ConsentRow>();
  for (const c of [...consents].sort((a, b) => (a.id < b.id ? -1 : 1)))
    latest.set(`${c.subject}\u0000${c.person_id ? `id:${c.person_id}` : `label:${c.person_label}`}`, c);
  return [...latest.values()];
}

/**
 * The gate: may this item be used for `scope` today? Usage rights must allow it (own work with its author's consent,
 * or an open source with address and licence; never "no rights"), and every identifiable person shown must have a
 * valid consent covering the scope. A withdrawn or expired consent of anyone on the item closes the gate.
 */
export function gate(
  photo: Pick<PhotoRow, 'usage' | 'source_url' | 'licence' | 'identifiable_persons'>,
  consents: ConsentRow[],
  scope: ConsentScope,
  today: string,
): Gate {
  const reasons: string[] = [];
  const current = currentConsents(consents);
  const covers = (c: ConsentRow) => (JSON.parse(c.scopes) as string[]).includes(scope);
  if (photo.usage === 'no-rights') reasons.push('no usage rights: never published');
  if (photo.usage === 'open-source' && (!photo.source_url || !photo.licence))
    reasons.push('an open source needs its address and licence');
  for (const c of current) {
    const state = consentState(c, today);
    if (state === 'withdrawn') reasons.push(`the consent of ${c.person_label} was withdrawn`);
    else if (state === 'expired') reasons.push(`the consent of ${c.person_label} expired on ${c.expires_on}`);
  }
  if (photo.usage === 'own-work') {
    const author = current.filter((c) => c.subject === 'author');
    if (!author.some((c) => consentState(c, today) === 'valid' && covers(c)))
      reasons.push(`no valid consent of the author for ${scope}`);
  }
  const people = current.filter((c) => c.subject === 'person' && consentState(c, today) === 'valid' && covers(c));
  if (people.length < photo.identifiable_persons)
    reasons.push(
      `${photo.identifiable_persons} identifiable ${photo.identifiable_persons === 1 ? 'person' : 'people'} shown, ` +
        `${people.length} with a valid consent for ${scope}`,
    );
  return { scope, ok: reasons.length === 0, reasons: [...new Set(reasons)] };
}

/**
 * The uses an item may be put to today, computed at every read so that a withdrawal or an expiry narrows them at
 * once. Nothing while the item is not public (a draft, unpublished, or its publish-image gate shut): a press kit or a
 * social media post shows the picture publicly too. Otherwise each scope whose gate is open.
 */
export function allowedUses(
  photo: Pick<PhotoRow, 'status' | 'usage' | 'source_url' | 'licence' | 'identifiable_persons'>,
  consents: ConsentRow[],
  today: string,
): ConsentScope[] {
  if (photo.status !== 'published' || !gate(photo, consents, 'publish-image', today).ok) return [];
  return CONSENT_SCOPES.filter((scope) => gate(photo, consents, scope, today).ok);
}
