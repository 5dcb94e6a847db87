/**
 * The person forms read from a post: pseudonym, roles and the identity, whose input names are the API's paths
 * (`identity.fullName`, `identity.identifiers.1.value`), so that a 422 lands next to its field.
 */
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages';
import { ROLE_PERMISSIONS } from '$lib/server/http/access.js';
import type { PersonIdentity } from '$lib/server/people/index.js';
import type { ApiResult } from '$lib/web/api.server';
import type { FieldErrors } from '$lib/web/forms.server';
import { ENROL_PATH, signInPath } from '$lib/web/guard';
import { localizePath } from '$lib/web/locale';
import { problemMessage } from '$lib/web/problems';
import { roleName } from '$lib/web/roles';
import { staffDirectory } from '../register.server';

export const IDENTIFIER_ROWS = 3;

/** The identity as the form holds it: every field a string, identifiers as rows. */
export interface IdentityDraft {
  fullName: string;
  otherNames: string;
  contact: string;
  identifiers: { kind: string; value: string }[];
  address: string;
  notes: string;
}

export interface PersonDraft {
  pseudonym: string;
  pseudonymLang: string;
  roles: string[];
  identity: IdentityDraft;
  access: string[];
}

const str = (data: FormData, name: string) => {
  const v = data.get(name);
  return typeof v === 'string' ? v : '';
};

export function identityDraftOf(i: PersonIdentity): IdentityDraft {
  return {
    fullName: i.fullName,
    otherNames: i.otherNames.join('\n'),
    contact: i.contact ?? '',
    identifiers: i.identifiers.map((x) => ({ kind: x.kind, value: x.value })),
    address: i.address ?? '',
    notes: i.notes ?? '',
  };
}

export function readIdentity(data: FormData): IdentityDraft {
  const identifiers: { kind: string; value: string }[] = [];
  for (let i = 0; i < 20; i++) {
    if (!data.has(`identity.identifiers.${i}.value`)) continue;
    identifiers[i] = {
      kind: str(data, `identity.identifiers.${i}.kind`) || 'other',
      value: str(data, `identity.identifiers.${i}.value`),
    };
  }
  const rows = Array.from(identifiers, (r) => r ?? { kind: 'other', value: '' });
  while (rows.length && !rows.at(-1)!.value.trim()) rows.pop();
  return {
    fullName: str(data, 'identity.fullName'),
    otherNames: str(data, 'identity.otherNames'),
    contact: str(data, 'identity.contact'),
    identifiers: rows,
    address: str(data, 'identity.address'),
    notes: str(data, 'identity.notes'),
  };
}

/** The API's identity, and which form row each sent identifier came from (error paths index the sent array). */
export function identityInput(d: IdentityDraft): { identity: PersonIdentity; rowOf: number[]; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (!d.fullName.trim()) errors['identity.fullName'] = m.field_required();
  const rowOf: number[] = [];
  const identifiers: PersonIdentity['identifiers'] = [];
  d.identifiers.forEach((x, i) => {
    if (!x.value.trim()) return;
    identifiers.push({ kind: x.kind as 'other', value: x.value.trim() });
    rowOf.push(i);
  });
  const blank = (s: string) => (s.trim() ? s.trim() : null);
  return {
    identity: {
      fullName: d.fullName.trim(),
      otherNames: [
        ...new Set(
          d.otherNames
            .split('\n')
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ],
      contact: blank(d.contact),
      identifiers,
      address: blank(d.address),
      notes: blank(d.notes),
    },
    rowOf,
    errors,
  };
}

export function readPerson(data: FormData): PersonDraft {
  return {
    pseudonym: str(data, 'pseudonym'),
    pseudonymLang: str(data, 'pseudonymLang') || 'en',
    roles: data.getAll('roles').filter((v): v is string => typeof v === 'string'),
    identity: readIdentity(data),
    access: data.getAll('access').filter((v): v is string => typeof v === 'string' && v !== ''),
  };
}

export function personFieldOf(path: string, rowOf: number[] = []): string {
  const parts = path.split('.');
  if (parts[0] === 'roles') return 'roles';
  if (parts[0] === 'access' || parts[0] === 'userIds') return 'access';
  if (parts[0] === 'identity' && parts[1] === 'otherNames') return 'identity.otherNames';
  if (parts[0] === 'identity' && parts[1] === 'identifiers' && parts[2] !== undefined) {
    const row = rowOf[Number(parts[2])] ?? Number(parts[2]);
    return `identity.identifiers.${row}.${parts[3] ?? 'value'}`;
  }
  if (parts[0] === '(root)' || parts[0] === '') return 'form';
  return path;
}

export function personFieldMessage(message: string): string {
  if (/resembles the real name/i.test(message)) return m.ppl_err_pseudonym_reveals();
  if (/already used/i.test(message)) return m.ppl_err_pseudonym_taken();
  if (/must contain letters/i.test(message)) return m.ppl_err_pseudonym_letters();
  if (/cannot remove your own access/i.test(message)) return m.ppl_err_own_access();
  if (/unknown users/i.test(message)) return m.ppl_err_unknown_users();
  if (/too small|expected string|received undefined|expected array/i.test(message)) return m.field_required();
  if (/too big|at most/i.test(message)) return m.field_too_long();
  return m.field_invalid();
}

export interface PersonFormState {
  form: string;
  message?: string;
  detail?: string;
  errors: FieldErrors;
  values?: PersonDraft;
}

export function personFailure(
  event: Pick<RequestEvent, 'locals' | 'url'>,
  form: string,
  result: Extract<ApiResult<unknown>, { ok: false }>,
  values: PersonDraft | undefined,
  rowOf: number[] = [],
) {
  if (result.slug === 'unauthenticated') redirect(303, signInPath(event.locals.locale, event.url.pathname));
  if (result.slug === 'second-factor-required') redirect(303, localizePath(ENROL_PATH, event.locals.locale));
  const errors: FieldErrors = {};
  for (const e of result.problem.errors ?? []) errors[personFieldOf(e.path, rowOf)] ??= personFieldMessage(e.message);
  const known = result.status === 422 ? m.error_form() : undefined;
  const { message, detail } = known
    ? { message: known, detail: undefined }
    : problemMessage({ status: result.status, slug: result.slug, detail: result.problem.detail });
  return fail(result.status, { form, message, detail, errors, values } satisfies PersonFormState);
}

export function invalidPerson(form: string, errors: FieldErrors, values: PersonDraft) {
  return fail(422, { form, message: m.error_form(), errors, values } satisfies PersonFormState);
}

/** Colleagues who could be granted the identity: roles that may read the registry, by name (never oneself). */
export async function grantable(event: RequestEvent) {
  const me = event.locals.user?.id;
  return (await staffDirectory(event))
    .filter((u) => u.id !== me && ROLE_PERMISSIONS[u.role].includes('people:read'))
    .map((u) => ({ id: u.id, name: `${u.displayName} (${roleName(u.role)})` }));
}
