import { error, redirect } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { ROLE_PERMISSIONS } from '$lib/server/http/access.js';
import type { CreatePhotoInput, Photo } from '$lib/server/photos/index.js';
import type { PlaceSummary } from '$lib/server/places/index.js';
import { apiGet, callApi } from '$lib/web/api.server';
import { apiFailure, field, invalid, type FieldErrors } from '$lib/web/forms.server';
import { localizePath } from '$lib/web/locale';
import type { Actions, PageServerLoad } from './$types';

const LANGS = ['en', 'fr', 'hy', 'ru'] as const;
const FIELDS = [
  'evidenceId',
  'credit',
  'takenOn',
  'placeId',
  'tags',
  'usage',
  'sourceUrl',
  'licence',
  'identifiablePersons',
  ...LANGS.map((l) => `caption_${l}`),
];

export const load: PageServerLoad = async (event) => {
  const user = event.locals.user;
  const granted = user && !user.pendingSecondFactor ? ROLE_PERMISSIONS[user.role] : [];
  if (!granted.includes('photos:write')) error(403, { message: m.error_forbidden() });
  const places = granted.includes('register:read')
    ? (await apiGet<{ items: PlaceSummary[] }>(event, '/places?limit=500')).items
    : [];
  return {
    evidenceId: event.url.searchParams.get('evidence') ?? '',
    places: places.map((p) => ({ value: p.id, label: p.name })),
  };
};

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const values: Record<string, string> = Object.fromEntries(FIELDS.map((f) => [f, field(data, f).trim()]));
    const errors: FieldErrors = {};
    for (const name of ['evidenceId', 'credit']) if (!values[name]) errors[name] = m.field_required();
    if (!LANGS.some((l) => values[`caption_${l}`])) errors.caption_en = m.field_required();
    if (Object.keys(errors).length) return invalid('photo', errors, values);
    const captions = Object.fromEntries(
      LANGS.filter((l) => values[`caption_${l}`]).map((l) => [l, values[`caption_${l}`]!]),
    );
    const body: CreatePhotoInput = {
      evidenceId: values.evidenceId!,
      captions,
      credit: values.credit!,
      takenOn: values.takenOn || null,
      placeId: values.placeId || null,
      tags: (values.tags ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
      usage: (['own-work', 'open-source', 'no-rights'].includes(values.usage!)
        ? values.usage
        : 'own-work') as CreatePhotoInput['usage'],
      sourceUrl: values.sourceUrl || null,
      licence: values.licence || null,
      identifiablePersons: Math.max(0, Math.floor(Number(values.identifiablePersons) || 0)),
    };
    const result = await callApi<Photo>(event, 'POST', '/photos', body);
    if (!result.ok)
      return apiFailure(event, 'photo', result, values, {
        captions: 'caption_en',
        ...Object.fromEntries(LANGS.map((l) => [`captions.${l}`, `caption_${l}`])),
      });
    redirect(303, localizePath(`/workspace/photos/${result.data.id}`, event.locals.locale));
  },
};
