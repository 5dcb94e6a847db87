import { z } from '@hono/zod-openapi';
import { Problem, problemResponses } from '../http/problem.js';
import { body, createRouter, defineRoute, json, requireActor } from '../http/router.js';
import {
  ActivitySchema,
  AddIntervalSchema,
  AddObservationSchema,
  AsOfQuerySchema,
  ChildParamSchema,
  CreateDisruptionSchema,
  CreateIndicatorSchema,
  CreateKeyFigureSchema,
  CrisisSchema,
  DateSchema,
  DisruptionSchema,
  IdParamSchema,
  IndicatorSchema,
  IndicatorSummarySchema,
  KeyFigureSchema,
  PublicCountersSchema,
  PutCrisisSchema,
  UpdateDisruptionSchema,
  UpdateIndicatorSchema,
  UpdateIntervalSchema,
  UpdateKeyFigureSchema,
} from './schema.js';
import type { CrisisService } from './service.js';
import { LANGS } from './counters.js';

const tags = ['Crisis'];
const DisruptionListSchema = z.object({ items: z.array(DisruptionSchema) }).openapi('DisruptionList');
const IndicatorListSchema = z.object({ items: z.array(IndicatorSchema) }).openapi('IndicatorList');
const KeyFigureListSchema = z.object({ items: z.array(KeyFigureSchema) }).openapi('KeyFigureList');
const SeriesSchema = z
  .object({
    items: z.array(z.object({ asOf: z.string(), day: z.number().int(), cumulative: z.number(), expected: z.number() })),
  })
  .openapi('IndicatorSeries');
const KeyFigureQuerySchema = z.object({
  asOf: DateSchema.optional().openapi({
    description: 'Only figures stated at or before this date, the newest per label; without it, every figure',
  }),
});
const ActivityQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(10),
  lang: z.enum(LANGS).default('en'),
});

/** 400 is a date before the crisis start; 409 a write before the crisis is set up. */
export function crisisRoutes(service: CrisisService) {
  const router = createRouter();
  const actorId = (a: Parameters<typeof requireActor>[0]) => requireActor(a).userId;

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/crisis',
      tags,
      summary: 'The crisis: name, start instant and zone, status, end, population figures with their sources',
      'x-permission': 'crisis:read',
      responses: { 200: json(CrisisSchema, 'The crisis'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const crisis = await service.crisis();
      if (!crisis) throw new Problem(404, 'not-found', 'No crisis is set up yet.');
      return c.json(crisis, 200);
    },
  );

  router.openapi(
    defineRoute({
      method: 'put',
      path: '/crisis',
      tags,
      summary: 'Set the crisis (replaces the population figures when given)',
      'x-permission': 'crisis:write',
      request: body(PutCrisisSchema),
      responses: { 200: json(CrisisSchema, 'The crisis as stored'), ...problemResponses(401, 403, 422) },
    }),
    async (c) => c.json(await service.putCrisis(c.req.valid('json'), actorId(c.var.actor)), 200),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/crisis/activity',
      tags,
      summary: 'The latest changes to the crisis data, newest first',
      'x-permission': 'crisis:read',
      request: { query: ActivityQuerySchema },
      responses: { 200: json(ActivitySchema, 'Recent changes'), ...problemResponses(401, 403, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await service.activity(q.limit, q.lang), 200);
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/public/counters',
      tags,
      summary: 'Day counter, days without each service, indicators against their baseline, as of a date',
      description:
        'Public: these are the numbers the press quotes. `asOf` defaults to today in the crisis zone. A date before ' +
        'the crisis start is a 400.',
      'x-permission': 'public',
      request: { query: AsOfQuerySchema },
      responses: { 200: json(PublicCountersSchema, 'The counters'), ...problemResponses(400, 404, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      c.header('cache-control', 'public, max-age=300');
      return c.json(await service.counters(q.asOf, q.lang), 200);
    },
  );

  // --- disruptions

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/disruptions',
      tags,
      summary: 'Every disruption with its intervals',
      'x-permission': 'crisis:read',
      responses: { 200: json(DisruptionListSchema, 'Disruptions'), ...problemResponses(401, 403) },
    }),
    async (c) => c.json({ items: await service.disruptions() }, 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/disruptions',
      tags,
      summary: 'Record a disruption of a service: its first interval, and optionally more',
      'x-permission': 'crisis:write',
      request: body(CreateDisruptionSchema),
      responses: { 201: json(DisruptionSchema, 'Created'), ...problemResponses(400, 401, 403, 409, 422) },
    }),
    async (c) => c.json(await service.createDisruption(c.req.valid('json'), actorId(c.var.actor)), 201),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/disruptions/{id}',
      tags,
      summary: 'One disruption',
      'x-permission': 'crisis:read',
      request: { params: IdParamSchema },
      responses: { 200: json(DisruptionSchema, 'The disruption'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => c.json(await service.disruption(c.req.valid('param').id), 200),
  );

  router.openapi(
    defineRoute({
      method: 'patch',
      path: '/disruptions/{id}',
      tags,
      summary: 'Change a disruption’s service, area, source, note or illustrative flag',
      'x-permission': 'crisis:write',
      request: { params: IdParamSchema, ...body(UpdateDisruptionSchema) },
      responses: { 200: json(DisruptionSchema, 'Updated'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) =>
      c.json(await service.updateDisruption(c.req.valid('param').id, c.req.valid('json'), actorId(c.var.actor)), 200),
  );

  router.openapi(
    defineRoute({
      method: 'delete',
      path: '/disruptions/{id}',
      tags,
      summary: 'Delete a disruption and its intervals',
      'x-permission': 'crisis:write',
      request: { params: IdParamSchema },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      await service.deleteDisruption(c.req.valid('param').id, actorId(c.var.actor));
      return c.body(null, 204);
    },
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/disruptions/{id}/intervals',
      tags,
      summary: 'Add an interval; overlapping intervals are accepted and merged when counted',
      'x-permission': 'crisis:write',
      request: { params: IdParamSchema, ...body(AddIntervalSchema) },
      responses: { 201: json(DisruptionSchema, 'The disruption'), ...problemResponses(400, 401, 403, 404, 409, 422) },
    }),
    async (c) =>
      c.json(await service.addInterval(c.req.valid('param').id, c.req.valid('json'), actorId(c.var.actor)), 201),
  );

  router.openapi(
    defineRoute({
      method: 'patch',
      path: '/disruptions/{id}/intervals/{childId}',
      tags,
      summary: 'Change an interval, e.g. give the end of an ongoing cut',
      'x-permission': 'crisis:write',
      request: { params: ChildParamSchema, ...body(UpdateIntervalSchema) },
      responses: { 200: json(DisruptionSchema, 'The disruption'), ...problemResponses(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await service.updateInterval(p.id, p.childId, c.req.valid('json'), actorId(c.var.actor)), 200);
    },
  );

  router.openapi(
    defineRoute({
      method: 'delete',
      path: '/disruptions/{id}/intervals/{childId}',
      tags,
      summary: 'Remove an interval (not the last one: delete the disruption instead)',
      'x-permission': 'crisis:write',
      request: { params: ChildParamSchema },
      responses: { 200: json(DisruptionSchema, 'The disruption'), ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await service.deleteInterval(p.id, p.childId, actorId(c.var.actor)), 200);
    },
  );

  // --- indicators

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/indicators',
      tags,
      summary: 'Every indicator with its observations',
      'x-permission': 'crisis:read',
      responses: { 200: json(IndicatorListSchema, 'Indicators'), ...problemResponses(401, 403) },
    }),
    async (c) => c.json({ items: await service.indicators() }, 200),
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/indicators',
      tags,
      summary: 'Create an indicator with its baseline per day (> 0)',
      'x-permission': 'crisis:write',
      request: body(CreateIndicatorSchema),
      responses: { 201: json(IndicatorSchema, 'Created'), ...problemResponses(400, 401, 403, 422) },
    }),
    async (c) => c.json(await service.createIndicator(c.req.valid('json'), actorId(c.var.actor)), 201),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/indicators/{id}',
      tags,
      summary: 'One indicator with its observations',
      'x-permission': 'crisis:read',
      request: { params: IdParamSchema },
      responses: { 200: json(IndicatorSchema, 'The indicator'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => c.json(await service.indicator(c.req.valid('param').id), 200),
  );

  router.openapi(
    defineRoute({
      method: 'patch',
      path: '/indicators/{id}',
      tags,
      summary: 'Change an indicator',
      'x-permission': 'crisis:write',
      request: { params: IdParamSchema, ...body(UpdateIndicatorSchema) },
      responses: { 200: json(IndicatorSchema, 'Updated'), ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) =>
      c.json(await service.updateIndicator(c.req.valid('param').id, c.req.valid('json'), actorId(c.var.actor)), 200),
  );

  router.openapi(
    defineRoute({
      method: 'delete',
      path: '/indicators/{id}',
      tags,
      summary: 'Delete an indicator and its observations',
      'x-permission': 'crisis:write',
      request: { params: IdParamSchema },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      await service.deleteIndicator(c.req.valid('param').id, actorId(c.var.actor));
      return c.body(null, 204);
    },
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/indicators/{id}/observations',
      tags,
      summary: 'Add an observation: a cumulative total as of a date, or a daily value (summed)',
      'x-permission': 'crisis:write',
      request: { params: IdParamSchema, ...body(AddObservationSchema) },
      responses: { 201: json(IndicatorSchema, 'The indicator'), ...problemResponses(400, 401, 403, 404, 409, 422) },
    }),
    async (c) =>
      c.json(await service.addObservation(c.req.valid('param').id, c.req.valid('json'), actorId(c.var.actor)), 201),
  );

  router.openapi(
    defineRoute({
      method: 'delete',
      path: '/indicators/{id}/observations/{childId}',
      tags,
      summary: 'Remove an observation',
      'x-permission': 'crisis:write',
      request: { params: ChildParamSchema },
      responses: { 200: json(IndicatorSchema, 'The indicator'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await service.deleteObservation(p.id, p.childId, actorId(c.var.actor)), 200);
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/indicators/{id}/summary',
      tags,
      summary: 'Expected against observed as of a date, with the shortfall in words',
      'x-permission': 'crisis:read',
      request: { params: IdParamSchema, query: AsOfQuerySchema },
      responses: { 200: json(IndicatorSummarySchema, 'The summary'), ...problemResponses(400, 401, 403, 404, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await service.indicatorSummary(c.req.valid('param').id, q.asOf, q.lang), 200);
    },
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/indicators/{id}/series',
      tags,
      summary: 'Observed and expected totals on each date something was observed, for charts',
      'x-permission': 'crisis:read',
      request: { params: IdParamSchema },
      responses: { 200: json(SeriesSchema, 'The series'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => c.json({ items: await service.indicatorSeries(c.req.valid('param').id) }, 200),
  );

  // --- key figures

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/key-figures',
      tags,
      summary: 'Key figures: all of them, or with asOf the newest per label stated by then',
      'x-permission': 'crisis:read',
      request: { query: KeyFigureQuerySchema },
      responses: { 200: json(KeyFigureListSchema, 'Key figures, newest first'), ...problemResponses(401, 403, 422) },
    }),
    async (c) => {
      const { asOf } = c.req.valid('query');
      return c.json({ items: asOf ? await service.keyFigures(asOf) : await service.allKeyFigures() }, 200);
    },
  );

  router.openapi(
    defineRoute({
      method: 'post',
      path: '/key-figures',
      tags,
      summary: 'State a key figure: label, value, unit, as-of date and source',
      'x-permission': 'crisis:write',
      request: body(CreateKeyFigureSchema),
      responses: { 201: json(KeyFigureSchema, 'Created'), ...problemResponses(400, 401, 403, 409, 422) },
    }),
    async (c) => c.json(await service.createKeyFigure(c.req.valid('json'), actorId(c.var.actor)), 201),
  );

  router.openapi(
    defineRoute({
      method: 'get',
      path: '/key-figures/{id}',
      tags,
      summary: 'One key figure',
      'x-permission': 'crisis:read',
      request: { params: IdParamSchema },
      responses: { 200: json(KeyFigureSchema, 'The key figure'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => c.json(await service.keyFigure(c.req.valid('param').id), 200),
  );

  router.openapi(
    defineRoute({
      method: 'patch',
      path: '/key-figures/{id}',
      tags,
      summary: 'Change a key figure',
      'x-permission': 'crisis:write',
      request: { params: IdParamSchema, ...body(UpdateKeyFigureSchema) },
      responses: { 200: json(KeyFigureSchema, 'Updated'), ...problemResponses(400, 401, 403, 404, 409, 422) },
    }),
    async (c) =>
      c.json(await service.updateKeyFigure(c.req.valid('param').id, c.req.valid('json'), actorId(c.var.actor)), 200),
  );

  router.openapi(
    defineRoute({
      method: 'delete',
      path: '/key-figures/{id}',
      tags,
      summary: 'Delete a key figure',
      'x-permission': 'crisis:write',
      request: { params: IdParamSchema },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      await service.deleteKeyFigure(c.req.valid('param').id, actorId(c.var.actor));
      return c.body(null, 204);
    },
  );

  return router;
}
