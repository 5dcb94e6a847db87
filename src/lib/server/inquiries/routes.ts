import { problemResponses } from '../http/problem.js';
import { body, createRouter, defineRoute, json, requireActor } from '../http/router.js';
import {
  CreateInquirySchema,
  InquiryIdParamSchema,
  InquiryListSchema,
  InquiryQuerySchema,
  InquiryRecordParamSchema,
  InquirySchema,
  LinkInquiryRecordSchema,
  UpdateInquirySchema,
} from './schema.js';
import type { InquiriesService } from './service.js';

export function inquiriesRoutes(service: InquiriesService) {
  const router = createRouter();

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/inquiries',
      tags: ['Inquiries'],
      summary: 'Inquiries to state bodies: overdue first, then sent by due date, then answered, latest answer first',
      'x-permission': 'register:read',
      request: { query: InquiryQuerySchema },
      responses: { 200: json(InquiryListSchema, 'A page of inquiries'), ...problemResponses(401, 403, 422) },
    }),
    async (c) => c.json(await service.list(c.req.valid('query')), 200),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/inquiries/{id}',
      tags: ['Inquiries'],
      summary: 'One inquiry, with its attachments and the linked records the caller may see',
      'x-permission': 'register:read',
      request: { params: InquiryIdParamSchema },
      responses: { 200: json(InquirySchema, 'The inquiry'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) => c.json(await service.get(c.req.valid('param').id, c.var.actor), 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/inquiries',
      tags: ['Inquiries'],
      summary: 'Record an inquiry sent to a state body',
      'x-permission': 'inquiries:write',
      request: body(CreateInquirySchema),
      responses: { 201: json(InquirySchema, 'Created'), ...problemResponses(401, 403, 422) },
    }),
    async (c) => c.json(await service.create(c.req.valid('json'), requireActor(c.var.actor).userId), 201),
  );

  router.openapi(
    defineRoute({
      method: 'patch',
      path: '/inquiries/{id}',
      tags: ['Inquiries'],
      summary: 'Change an inquiry, e.g. record the response',
      'x-permission': 'inquiries:write',
      request: { params: InquiryIdParamSchema, ...body(UpdateInquirySchema) },
      responses: { 200: json(InquirySchema, 'Updated'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) =>
      c.json(await service.update(c.req.valid('param').id, c.req.valid('json'), requireActor(c.var.actor)), 200),
  );

  router.openapi(
    defineRoute({
      method: 'delete',
      path: '/inquiries/{id}',
      tags: ['Inquiries'],
      summary: 'Delete an inquiry that no source cites and no record is linked to',
      'x-permission': 'inquiries:write',
      request: { params: InquiryIdParamSchema },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      await service.delete(c.req.valid('param').id, requireActor(c.var.actor).userId);
      return c.body(null, 204);
    },
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/inquiries/{id}/records',
      tags: ['Inquiries'],
      summary: 'Link a record to the inquiry (404 for a record the caller cannot see)',
      'x-permission': 'inquiries:write',
      request: { params: InquiryIdParamSchema, ...body(LinkInquiryRecordSchema) },
      responses: { 201: json(InquirySchema, 'Linked'), ...problemResponses(401, 403, 404, 409, 422) },
    }),
    async (c) =>
      c.json(await service.linkRecord(c.req.valid('param').id, c.req.valid('json'), requireActor(c.var.actor)), 201),
  );

  router.openapi(
    defineRoute({
      method: 'delete',
      path: '/inquiries/{id}/records/{recordId}',
      tags: ['Inquiries'],
      summary: 'Remove the link between the inquiry and a record',
      'x-permission': 'inquiries:write',
      request: { params: InquiryRecordParamSchema },
      responses: { 204: { description: 'Unlinked' }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id, recordId } = c.req.valid('param');
      await service.unlinkRecord(id, recordId, requireActor(c.var.actor));
      return c.body(null, 204);
    },
  );

  return router;
}
