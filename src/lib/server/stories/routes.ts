import { z } from '@hono/zod-openapi';
import { problemResponses } from '../http/problem.js';
import { body, createRouter, defineRoute, json, requireActor } from '../http/router.js';
import {
  ConsentParamSchema,
  CreateConsentSchema,
  CreateStorySchema,
  PiiCheckSchema,
  PiiReportSchema,
  PublicStoryListSchema,
  PublicStorySchema,
  STORY_STATUSES,
  StoryIdParamSchema,
  StoryListSchema,
  StorySchema,
  StoryTransitionSchema,
  UpdateStorySchema,
  WithdrawConsentSchema,
} from './schema.js';
import type { StoriesService } from './service.js';

export function storiesRoutes(service: StoriesService) {
  const router = createRouter();
  const tags = ['Stories'];
  const ListQuery = z.object({ status: z.enum(STORY_STATUSES).optional(), personId: z.string().max(100).optional() });

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/stories',
      tags,
      summary: 'Human stories, newest change first; persons by pseudonym only',
      'x-permission': 'register:read',
      request: { query: ListQuery },
      responses: { 200: json(StoryListSchema, 'Stories'), ...problemResponses(401, 403, 422) },
    }),
    async (c) => c.json({ items: await service.list(c.req.valid('query')) }, 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/stories',
      tags,
      summary: 'Write a story about a protected person (a draft)',
      'x-permission': 'stories:write',
      request: body(CreateStorySchema),
      responses: { 201: json(StorySchema, 'Created'), ...problemResponses(401, 403, 422) },
    }),
    async (c) => c.json(await service.create(c.req.valid('json'), requireActor(c.var.actor)), 201),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/stories/{id}',
      tags,
      summary: 'One story with its consents and links',
      'x-permission': 'register:read',
      request: { params: StoryIdParamSchema },
      responses: { 200: json(StorySchema, 'The story'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => c.json(await service.get(c.req.valid('param').id), 200),
  );

  router.openapi(
    defineRoute({
      method: 'patch',
      path: '/stories/{id}',
      tags,
      summary: 'Change a story (draft, in review or unpublished); give the version you read',
      'x-permission': 'stories:write',
      request: { params: StoryIdParamSchema, ...body(UpdateStorySchema) },
      responses: { 200: json(StorySchema, 'Changed'), ...problemResponses(401, 403, 404, 409, 422) },
    }),
    async (c) =>
      c.json(await service.update(c.req.valid('param').id, c.req.valid('json'), requireActor(c.var.actor)), 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/stories/{id}/transitions',
      tags,
      summary:
        'Move a story through draft → in review → approved → published; publishing needs another reviewer, valid ' +
        'consent and a clean PII check (or a written override)',
      'x-permission': 'stories:write',
      request: { params: StoryIdParamSchema, ...body(StoryTransitionSchema) },
      responses: { 200: json(StorySchema, 'Moved'), ...problemResponses(401, 403, 404, 409, 422) },
    }),
    async (c) =>
      c.json(await service.transition(c.req.valid('param').id, c.req.valid('json'), requireActor(c.var.actor)), 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/stories/{id}/pii-check',
      tags,
      summary:
        "The PII guard on the story's texts (or given ones) while writing; names only of identities you may read",
      'x-permission': 'stories:write',
      request: { params: StoryIdParamSchema, ...body(PiiCheckSchema) },
      responses: { 200: json(PiiReportSchema, 'Findings'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) =>
      c.json(await service.piiCheck(c.req.valid('param').id, c.req.valid('json'), requireActor(c.var.actor)), 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/stories/{id}/consents',
      tags,
      summary: 'Record the consent of the person: scopes, dates, and its evidence (a signed form or a witnessed note)',
      'x-permission': 'stories:write',
      request: { params: StoryIdParamSchema, ...body(CreateConsentSchema) },
      responses: { 201: json(StorySchema, 'Recorded'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) =>
      c.json(await service.addConsent(c.req.valid('param').id, c.req.valid('json'), requireActor(c.var.actor)), 201),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/stories/{id}/consents/{consentId}/withdrawal',
      tags,
      summary: 'Record a withdrawal of consent: the story is unpublished everywhere at once',
      'x-permission': 'stories:write',
      request: { params: ConsentParamSchema, ...body(WithdrawConsentSchema) },
      responses: { 200: json(StorySchema, 'Withdrawn'), ...problemResponses(401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const { id, consentId } = c.req.valid('param');
      return c.json(await service.withdrawConsent(id, consentId, c.req.valid('json'), requireActor(c.var.actor)), 200);
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/stories',
      tags,
      summary: 'Published stories with valid consent, by pseudonym',
      'x-permission': 'public',
      responses: { 200: json(PublicStoryListSchema, 'Stories') },
    }),
    async (c) => {
      c.header('cache-control', 'public, max-age=60');
      return c.json({ items: await service.listPublic() }, 200);
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/stories/{id}',
      tags,
      summary: 'One public story; 410 once it is no longer published (unpublished, consent withdrawn or expired)',
      'x-permission': 'public',
      request: { params: StoryIdParamSchema },
      responses: { 200: json(PublicStorySchema, 'The story'), ...problemResponses(404, 410) },
    }),
    async (c) => {
      c.header('cache-control', 'public, max-age=60');
      return c.json(await service.getPublic(c.req.valid('param').id), 200);
    },
  );

  return router;
}
