import { error, fail } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { ROLE_PERMISSIONS } from '$lib/server/http/access.js';
import type { Person } from '$lib/server/people/index.js';
import type { ConsentInput, Photo } from '$lib/server/photos/index.js';
import { apiGet, callApi } from '$lib/web/api.server';
import { apiFailure, field, invalid, type FieldErrors, type FormState } from '$lib/web/forms.server';
import type { Actions, PageServerLoad } from './$types';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const SCOPES = ['publish-image', 'press-kit', 'social-media'] as const;

export const load: PageServerLoad = async (event) => {
  const user = event.locals.user;
  const granted = user && !user.pendingSecondFactor ? ROLE_PERMISSIONS[user.role] : [];
  if (!granted.includes('photos:read')) error(403, { message: m.error_forbidden() });
  const canWrite = granted.includes('photos:write');
  const [photo, people] = await Promise.all([
    apiGet<Photo>(event, `/photos/${encodeURIComponent(event.params.id)}`),
    // Pseudonyms only: a consent may name a registry person, whose identity stays in the registry.
    canWrite && granted.includes('people:read')
      ? apiGet<{ items: Person[] }>(event, '/people').then((r) => r.items)
      : Promise.resolve([] as Person[]),
  ]);
  return {
    photo,
    people: people.map((p) => ({ value: p.id, label: p.pseudonym })),
    can: {
      write: canWrite,
      review: granted.includes('photos:review'),
      download: granted.includes('photos:download'),
    },
  };
};

const path = (event: { params: { id: string } }, tail = '') => `/photos/${encodeURIComponent(event.params.id)}${tail}`;

export const actions: Actions = {
  consent: async (event) => {
    const data = await event.request.formData();
    const names = [
      'subject',
      'personLabel',
      'personId',
      'givenOn',
      'expiresOn',
      'evidencedBy',
      'formEvidenceId',
      'verbalNote',
      'witness',
    ];
    const values: Record<string, string> = Object.fromEntries(names.map((n) => [n, field(data, n).trim()]));
    const scopes = data.getAll('scopes').filter((s): s is (typeof SCOPES)[number] => SCOPES.includes(s as never));
    values.scopes = scopes.join(',');
    const errors: FieldErrors = {};
    if (!values.personLabel) errors.personLabel = m.field_required();
    if (!DAY.test(values.givenOn!)) errors.givenOn = values.givenOn ? m.reg_err_iso_day() : m.field_required();
    if (values.expiresOn && !DAY.test(values.expiresOn)) errors.expiresOn = m.reg_err_iso_day();
    if (scopes.length === 0) errors.scopes = m.field_required();
    const verbal = values.evidencedBy !== 'form';
    if (verbal && !values.verbalNote) errors.verbalNote = m.field_required();
    if (verbal && !values.witness) errors.witness = m.field_required();
    if (!verbal && !values.formEvidenceId) errors.formEvidenceId = m.field_required();
    if (Object.keys(errors).length) return invalid('consent', errors, values);
    const body: ConsentInput = {
      subject: values.subject === 'person' ? 'person' : 'author',
      personLabel: values.personLabel!,
      personId: values.personId || null,
      scopes,
      givenOn: values.givenOn!,
      expiresOn: values.expiresOn || null,
      evidencedBy: verbal ? 'verbal' : 'form',
      formEvidenceId: verbal ? null : values.formEvidenceId!,
      verbalNote: verbal ? values.verbalNote! : null,
      witness: verbal ? values.witness! : null,
    };
    const result = await callApi(event, 'POST', path(event, '/consents'), body);
    if (!result.ok) return apiFailure(event, 'consent', result, values);
    return { form: 'consent', message: m.ev_done() } satisfies FormState;
  },
  withdraw: async (event) => {
    const data = await event.request.formData();
    const consentId = field(data, 'consentId');
    const result = await callApi(event, 'POST', path(event, `/consents/${encodeURIComponent(consentId)}/withdraw`), {
      note: field(data, 'note').trim() || undefined,
    });
    if (!result.ok) return apiFailure(event, 'withdraw', result);
    return { form: 'withdraw', message: m.ev_done() } satisfies FormState;
  },
  publish: async (event) => {
    const result = await callApi(event, 'POST', path(event, '/publish'));
    if (!result.ok) return apiFailure(event, 'publish', result);
    return { form: 'publish', message: m.ev_done() } satisfies FormState;
  },
  unpublish: async (event) => {
    const data = await event.request.formData();
    const reason = field(data, 'reason').trim();
    if (!reason)
      return fail(422, {
        form: 'unpublish',
        message: m.error_form(),
        errors: { reason: m.field_required() },
      } satisfies FormState);
    const result = await callApi(event, 'POST', path(event, '/unpublish'), { reason });
    if (!result.ok) return apiFailure(event, 'unpublish', result, { reason });
    return { form: 'unpublish', message: m.ev_done() } satisfies FormState;
  },
};
