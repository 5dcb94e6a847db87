import { z } from '@hono/zod-openapi';

/**
 * Protected persons: victims, witnesses, interviewees and sources. Everything but the identity is a pseudonym and
 * roles; the identity (real name, other spellings, contact, identifiers, exact address) is stored only encrypted,
 * and only users granted access to that person can read it.
 *
 * Limits: a pseudonym of 2–80 characters; a full name of 1–200; up to 20 other spellings; contact and address up to
 * 500 characters each; up to 10 identifiers of up to 100 characters; notes up to 2,000.
 */

export const PERSON_ROLES = ['victim', 'witness', 'interviewee', 'source'] as const;
export const PSEUDONYM_LANGS = ['en', 'fr', 'hy', 'ru'] as const;
export const IDENTIFIER_KINDS = ['passport', 'national-id', 'social-card', 'other'] as const;

export const PersonIdentitySchema = z
  .object({
    fullName: z.string().trim().min(1).max(200),
    otherNames: z.array(z.string().trim().min(1).max(200)).max(20).default([]).openapi({
      description: 'Other spellings and scripts of the name (e.g. Armenian, Cyrillic); the PII guard checks them all',
    }),
    contact: z.string().trim().max(500).nullable().default(null),
    identifiers: z
      .array(z.object({ kind: z.enum(IDENTIFIER_KINDS), value: z.string().trim().min(1).max(100) }))
      .max(10)
      .default([]),
    address: z.string().trim().max(500).nullable().default(null),
    notes: z.string().trim().max(2000).nullable().default(null),
  })
  .openapi('PersonIdentity', {
    description: 'The real identity: stored encrypted, returned only to users granted access, each read audited',
  });
export type PersonIdentity = z.output<typeof PersonIdentitySchema>;

const Pseudonym = z.string().trim().min(2).max(80);
const Roles = z.array(z.enum(PERSON_ROLES)).min(1).max(PERSON_ROLES.length);

export const PersonSchema = z
  .object({
    id: z.string(),
    pseudonym: z.string(),
    pseudonymLang: z.enum(PSEUDONYM_LANGS),
    roles: z.array(z.enum(PERSON_ROLES)),
    /** Whether the caller may read the identity. */
    canReveal: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Person', { description: 'A protected person, by pseudonym only' });
export type Person = z.infer<typeof PersonSchema>;

export const PersonListSchema = z.object({ items: z.array(PersonSchema) }).openapi('PersonList');

export const CreatePersonSchema = z
  .object({
    pseudonym: Pseudonym.optional().openapi({ description: 'Leave out to have one generated in pseudonymLang' }),
    pseudonymLang: z.enum(PSEUDONYM_LANGS),
    roles: Roles,
    identity: PersonIdentitySchema,
    /** Others who may read the identity besides the creator. */
    access: z.array(z.string()).max(50).default([]),
  })
  .openapi('CreatePerson');
export type CreatePersonInput = z.input<typeof CreatePersonSchema>;

export const UpdatePersonSchema = z
  .object({ pseudonym: Pseudonym.optional(), roles: Roles.optional(), identity: PersonIdentitySchema.optional() })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'nothing to change' })
  .openapi('UpdatePerson');
export type UpdatePersonInput = z.input<typeof UpdatePersonSchema>;

export const PersonAccessSchema = z
  .object({ userIds: z.array(z.string()).min(1).max(50) })
  .openapi('PersonAccess', { description: 'Everyone who may read the identity; the caller must stay on the list' });

export const PersonAccessListSchema = z.object({ userIds: z.array(z.string()) }).openapi('PersonAccessList');

export const PersonIdParamSchema = z.object({ id: z.string().min(1).max(100) });

export const RotationResultSchema = z
  .object({ keyId: z.string(), rewrapped: z.number().int(), failed: z.array(z.string()) })
  .openapi('KeyRotationResult');
