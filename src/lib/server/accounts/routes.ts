import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { problemResponses } from '../http/problem.js';
import { createRouter, defineRoute, requireActor, type ApiEnv } from '../http/router.js';
import {
  AcceptInvitationSchema,
  AcceptedInvitationSchema,
  ApiTokenListSchema,
  ChangePasswordSchema,
  CreateApiTokenSchema,
  CreatedApiTokenSchema,
  CreatedInvitationSchema,
  CreateInvitationSchema,
  IdParamSchema,
  InvitationListSchema,
  InvitationStatusSchema,
  InvitationTokenParamSchema,
  LoginSchema,
  MeSchema,
  SecuritySettingsSchema,
  TotpDisableSchema,
  TotpEnableSchema,
  TotpSetupSchema,
  UpdateSecuritySettingsSchema,
  UpdateUserSchema,
  UserDirectorySchema,
  UserListSchema,
  UserSchema,
} from './schema.js';
import { SESSION_ABSOLUTE_MS, SESSION_COOKIE, type AccountsService } from './service.js';

const json = <S>(schema: S, description: string) => ({ description, content: { 'application/json': { schema } } });
const body = <S>(schema: S) => ({ body: { required: true, content: { 'application/json': { schema } } } });
const noContent = { 204: { description: 'Done' } };

function cookieOptions(c: Context<ApiEnv>) {
  return {
    httpOnly: true,
    sameSite: 'Lax' as const,
    path: '/',
    secure: new URL(c.req.url).protocol === 'https:',
  };
}

export function accountsRoutes(service: AccountsService) {
  const router = createRouter();

  // Sign in and out

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/auth/login',
      tags: ['Auth'],
      summary: 'Sign in with email, password and (if enrolled) a TOTP code; sets the session cookie',
      'x-permission': 'public',
      request: body(LoginSchema),
      responses: { 200: json(MeSchema, 'Signed in'), ...problemResponses(401, 403, 422, 429) },
    }),
    async (c) => {
      const result = await service.login(c.req.valid('json'), {
        ip: c.env?.clientIp,
        previousSessionToken: getCookie(c, SESSION_COOKIE),
      });
      setCookie(c, SESSION_COOKIE, result.token, {
        ...cookieOptions(c),
        maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000),
      });
      return c.json(result.me, 200);
    },
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/auth/logout',
      tags: ['Auth'],
      summary: 'Sign out: ends this session and clears the cookie',
      'x-permission': 'session',
      responses: { ...noContent, ...problemResponses(401, 403) },
    }),
    async (c) => {
      await service.logout(requireActor(c.var.actor));
      deleteCookie(c, SESSION_COOKIE, cookieOptions(c));
      return c.body(null, 204);
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/auth/me',
      tags: ['Auth'],
      summary: 'Who am I',
      'x-permission': 'session',
      responses: { 200: json(MeSchema, 'The signed-in account'), ...problemResponses(401) },
    }),
    async (c) => c.json(await service.me(requireActor(c.var.actor)), 200),
  );

  // My account

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/account/password',
      tags: ['Account'],
      summary: 'Change my password; signs out my other sessions',
      'x-permission': 'account',
      request: body(ChangePasswordSchema),
      responses: { ...noContent, ...problemResponses(401, 403, 422, 429) },
    }),
    async (c) => {
      await service.changePassword(requireActor(c.var.actor), c.req.valid('json'));
      return c.body(null, 204);
    },
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/account/totp/setup',
      tags: ['Account'],
      summary: 'Start TOTP enrolment: returns the secret once',
      'x-permission': 'session',
      responses: { 200: json(TotpSetupSchema, 'Secret and otpauth URI'), ...problemResponses(401, 409) },
    }),
    async (c) => c.json(await service.totpSetup(requireActor(c.var.actor)), 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/account/totp/enable',
      tags: ['Account'],
      summary: 'Finish TOTP enrolment with a code; upgrades this session',
      'x-permission': 'session',
      request: body(TotpEnableSchema),
      responses: { 200: json(MeSchema, 'Enrolled'), ...problemResponses(401, 409, 422) },
    }),
    async (c) => c.json(await service.totpEnable(requireActor(c.var.actor), c.req.valid('json').code), 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/account/totp/disable',
      tags: ['Account'],
      summary: 'Turn TOTP off (not allowed when my role requires it)',
      'x-permission': 'account',
      request: body(TotpDisableSchema),
      responses: { ...noContent, ...problemResponses(401, 403, 409, 422, 429) },
    }),
    async (c) => {
      await service.totpDisable(requireActor(c.var.actor), c.req.valid('json'));
      return c.body(null, 204);
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/account/tokens',
      tags: ['Account'],
      summary: 'My active API tokens (never their values)',
      'x-permission': 'account',
      responses: { 200: json(ApiTokenListSchema, 'Tokens'), ...problemResponses(401, 403) },
    }),
    async (c) => c.json({ items: await service.listTokens(requireActor(c.var.actor)) }, 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/account/tokens',
      tags: ['Account'],
      summary: 'Create an API token; its value is shown only in this response',
      'x-permission': 'account',
      request: body(CreateApiTokenSchema),
      responses: { 201: json(CreatedApiTokenSchema, 'Created'), ...problemResponses(401, 403, 422) },
    }),
    async (c) => c.json(await service.createToken(requireActor(c.var.actor), c.req.valid('json').name), 201),
  );

  router.openapi(
    defineRoute({
      method: 'delete',
      path: '/account/tokens/{id}',
      tags: ['Account'],
      summary: 'Revoke one of my API tokens',
      'x-permission': 'account',
      request: { params: IdParamSchema },
      responses: { ...noContent, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      await service.revokeToken(requireActor(c.var.actor), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  // Users (admin)

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/users',
      tags: ['Users'],
      summary: 'All accounts',
      'x-permission': 'users:manage',
      responses: { 200: json(UserListSchema, 'Users'), ...problemResponses(401, 403) },
    }),
    async (c) => c.json({ items: await service.listUsers() }, 200),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/users/directory',
      tags: ['Users'],
      summary: 'Active accounts by name (id, display name, role; no email): staff name people on restricted records',
      'x-permission': 'groups:read',
      responses: { 200: json(UserDirectorySchema, 'Directory'), ...problemResponses(401, 403) },
    }),
    async (c) => c.json({ items: await service.directory() }, 200),
  );

  router.openapi(
    defineRoute({
      method: 'patch',
      path: '/users/{id}',
      tags: ['Users'],
      summary: "Change a user's role, or deactivate / reactivate them",
      'x-permission': 'users:manage',
      request: { params: IdParamSchema, ...body(UpdateUserSchema) },
      responses: { 200: json(UserSchema, 'Updated'), ...problemResponses(401, 403, 404, 409, 422) },
    }),
    async (c) =>
      c.json(await service.updateUser(requireActor(c.var.actor), c.req.valid('param').id, c.req.valid('json')), 200),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/users/invitations',
      tags: ['Users'],
      summary: 'Pending invitations',
      'x-permission': 'users:manage',
      responses: { 200: json(InvitationListSchema, 'Invitations'), ...problemResponses(401, 403) },
    }),
    async (c) => c.json({ items: await service.listInvitations() }, 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/users/invitations',
      tags: ['Users'],
      summary: 'Invite someone by email with a role; returns the one-time link token once',
      'x-permission': 'users:manage',
      request: body(CreateInvitationSchema),
      responses: { 201: json(CreatedInvitationSchema, 'Created'), ...problemResponses(401, 403, 409, 422) },
    }),
    async (c) => c.json(await service.createInvitation(requireActor(c.var.actor), c.req.valid('json')), 201),
  );

  router.openapi(
    defineRoute({
      method: 'delete',
      path: '/users/invitations/{id}',
      tags: ['Users'],
      summary: 'Revoke a pending invitation',
      'x-permission': 'users:manage',
      request: { params: IdParamSchema },
      responses: { ...noContent, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      await service.revokeInvitation(requireActor(c.var.actor), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  // Invitation links (public)

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/invitations/{token}',
      tags: ['Invitations'],
      summary: 'Is this invitation or setup link still valid, and for which email and role',
      'x-permission': 'public',
      request: { params: InvitationTokenParamSchema },
      responses: { 200: json(InvitationStatusSchema, 'Status'), ...problemResponses(422) },
    }),
    async (c) => c.json(await service.invitationStatus(c.req.valid('param').token), 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/invitations/{token}/accept',
      tags: ['Invitations'],
      summary: 'Create my account from an invitation or setup link',
      'x-permission': 'public',
      request: { params: InvitationTokenParamSchema, ...body(AcceptInvitationSchema) },
      responses: { 201: json(AcceptedInvitationSchema, 'Account created'), ...problemResponses(403, 404, 409, 422) },
    }),
    async (c) => {
      const user = await service.acceptInvitation(c.req.valid('param').token, c.req.valid('json'));
      return c.json({ id: user.id, email: user.email, displayName: user.displayName, role: user.role }, 201);
    },
  );

  // Settings (admin)

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/settings/security',
      tags: ['Settings'],
      summary: 'Security settings',
      'x-permission': 'settings:manage',
      responses: { 200: json(SecuritySettingsSchema, 'Settings'), ...problemResponses(401, 403) },
    }),
    async (c) => c.json(await service.getSecuritySettings(), 200),
  );

  router.openapi(
    defineRoute({
      method: 'put',
      path: '/settings/security',
      tags: ['Settings'],
      summary: 'Change which roles must use two-factor authentication (admin always does)',
      'x-permission': 'settings:manage',
      request: body(UpdateSecuritySettingsSchema),
      responses: { 200: json(SecuritySettingsSchema, 'Saved'), ...problemResponses(401, 403, 422) },
    }),
    async (c) => c.json(await service.updateSecuritySettings(requireActor(c.var.actor), c.req.valid('json')), 200),
  );

  return router;
}
