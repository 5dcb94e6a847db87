import { z } from '@hono/zod-openapi';
import { ROLES } from '../http/access.js';

/** Request and response shapes: the single source of truth for the API, its types and the web forms. */

export const RoleSchema = z.enum(ROLES).openapi('Role');

export const EmailSchema = z
  .email()
  .max(254)
  .transform((s) => s.trim().toLowerCase())
  .openapi({ example: 'ana@example.org' });

export const PASSWORD_MIN = 12;
export const PasswordSchema = z
  .string()
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(1024)
  .openapi({ format: 'password' });

export const TotpCodeSchema = z
  .string()
  .regex(/^\d{6}$/, 'must be 6 digits')
  .openapi({ example: '123456' });

export const DisplayNameSchema = z.string().trim().min(1).max(120);

// Auth

export const LoginSchema = z
  .object({
    email: z.string().trim().toLowerCase().min(1).max(254),
    password: z.string().min(1).max(1024).openapi({ format: 'password' }),
    totp: TotpCodeSchema.optional(),
  })
  .openapi('Login');
export type LoginInput = z.infer<typeof LoginSchema>;

export const MeSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    role: RoleSchema,
    totpEnabled: z.boolean(),
    pendingSecondFactor: z
      .boolean()
      .openapi({ description: 'Signed in with a password only, but the role requires 2FA: enrol TOTP first.' }),
  })
  .openapi('Me');
export type Me = z.infer<typeof MeSchema>;

// My account

export const ChangePasswordSchema = z
  .object({ currentPassword: z.string().min(1).max(1024), newPassword: PasswordSchema })
  .openapi('ChangePassword');
export type ChangePasswordInput = z.infer<typeof ChangePasswordSchema>;

export const TotpSetupSchema = z
  .object({
    secret: z.string().openapi({ description: 'Base32 secret, shown once; type it into an authenticator app' }),
    uri: z.string().openapi({ description: 'otpauth:// URI for a QR code' }),
  })
  .openapi('TotpSetup');
export type TotpSetup = z.infer<typeof TotpSetupSchema>;

export const TotpEnableSchema = z.object({ code: TotpCodeSchema }).openapi('TotpEnable');
export const TotpDisableSchema = z
  .object({ password: z.string().min(1).max(1024), code: TotpCodeSchema })
  .openapi('TotpDisable');

export const ApiTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    lastUsedAt: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('ApiToken');
export type ApiTokenView = z.infer<typeof ApiTokenSchema>;

export const ApiTokenListSchema = z.object({ items: z.array(ApiTokenSchema) }).openapi('ApiTokenList');

export const CreateApiTokenSchema = z.object({ name: z.string().trim().min(1).max(100) }).openapi('CreateApiToken');

export const CreatedApiTokenSchema = ApiTokenSchema.extend({
  token: z.string().openapi({ description: 'Shown once. Send as `Authorization: Bearer <token>`.' }),
}).openapi('CreatedApiToken');
export type CreatedApiToken = z.infer<typeof CreatedApiTokenSchema>;

// Users (admin)

export const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    role: RoleSchema,
    totpEnabled: z.boolean(),
    active: z.boolean(),
    deactivatedAt: z.string().nullable().openapi({ format: 'date-time' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('User');
export type UserView = z.infer<typeof UserSchema>;

export const UserListSchema = z.object({ items: z.array(UserSchema) }).openapi('UserList');

/** What staff may know of each other, to name people on restricted records and in histories: no email, no 2FA state. */
export const DirectoryEntrySchema = z
  .object({ id: z.string(), displayName: z.string(), role: RoleSchema })
  .openapi('DirectoryEntry');
export type DirectoryEntry = z.infer<typeof DirectoryEntrySchema>;

export const UserDirectorySchema = z
  .object({ items: z.array(DirectoryEntrySchema) })
  .openapi('UserDirectory', { description: 'Active accounts, by name' });

export const UpdateUserSchema = z
  .object({ role: RoleSchema.optional(), active: z.boolean().optional() })
  .refine((v) => v.role !== undefined || v.active !== undefined, { message: 'give role or active' })
  .openapi('UpdateUser');
export type UpdateUserInput = z.infer<typeof UpdateUserSchema>;

export const IdParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

/** Used by the CLI and by invitations. Password strength is the same everywhere. */
export const CreateUserSchema = z.object({
  email: EmailSchema,
  displayName: DisplayNameSchema.optional(),
  role: RoleSchema,
  password: PasswordSchema,
});
export type CreateUserInput = z.input<typeof CreateUserSchema>;

// Invitations

export const InvitationKindSchema = z.enum(['invite', 'setup']);

export const InvitationSchema = z
  .object({
    id: z.string(),
    kind: InvitationKindSchema,
    email: z.string().nullable(),
    role: RoleSchema,
    invitedBy: z.string().nullable(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    expiresAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Invitation');
export type InvitationView = z.infer<typeof InvitationSchema>;

export const InvitationListSchema = z.object({ items: z.array(InvitationSchema) }).openapi('InvitationList');

export const CreateInvitationSchema = z.object({ email: EmailSchema, role: RoleSchema }).openapi('CreateInvitation');
export type CreateInvitationInput = z.infer<typeof CreateInvitationSchema>;

export const CreatedInvitationSchema = z
  .object({
    id: z.string(),
    token: z.string().openapi({ description: 'One-time link token, shown once' }),
    expiresAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('CreatedInvitation');
export type CreatedInvitation = z.infer<typeof CreatedInvitationSchema>;

export const InvitationTokenParamSchema = z.object({
  token: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: 'token', in: 'path' } }),
});

export const InvitationStatusSchema = z
  .object({
    valid: z.boolean(),
    reason: z.enum(['unknown', 'expired', 'used', 'revoked']).nullable(),
    kind: InvitationKindSchema.nullable(),
    email: z.string().nullable().openapi({ description: 'Fixed for an invitation; null for a setup link' }),
    role: RoleSchema.nullable(),
    expiresAt: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('InvitationStatus');
export type InvitationStatus = z.infer<typeof InvitationStatusSchema>;

export const AcceptInvitationSchema = z
  .object({
    displayName: DisplayNameSchema,
    password: PasswordSchema,
    email: EmailSchema.optional().openapi({
      description: 'Required for a setup link; ignored if it matches an invitation',
    }),
  })
  .openapi('AcceptInvitation');
export type AcceptInvitationInput = z.infer<typeof AcceptInvitationSchema>;

export const AcceptedInvitationSchema = z
  .object({ id: z.string(), email: z.string(), displayName: z.string(), role: RoleSchema })
  .openapi('AcceptedInvitation');

// Settings

export const SecuritySettingsSchema = z
  .object({
    require2faRoles: z.array(RoleSchema).openapi({ description: 'Roles that must use two-factor authentication' }),
  })
  .openapi('SecuritySettings');
export type SecuritySettings = z.infer<typeof SecuritySettingsSchema>;

export const UpdateSecuritySettingsSchema = z
  .object({
    require2faRoles: z
      .array(RoleSchema)
      .max(20)
      .refine((r) => r.includes('admin'), { message: 'admin must always require two-factor authentication' }),
  })
  .openapi('UpdateSecuritySettings');
