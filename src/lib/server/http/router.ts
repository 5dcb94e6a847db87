import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Logger } from '../core/logger.js';
import type { Actor, Permission } from './access.js';
import { Problem, problems, zodErrors } from './problem.js';

export type ApiEnv = {
  Variables: { actor: Actor | null; log: Logger };
  Bindings: { clientIp?: string };
};

/** A router for one domain module. Invalid input becomes a 422 problem with field paths. */
export function createRouter(): OpenAPIHono<ApiEnv> {
  return new OpenAPIHono<ApiEnv>({
    defaultHook: (result) => {
      if (!result.success) throw problems.validation(zodErrors(result.error));
    },
  });
}

/**
 * Define a route with the permission it needs. The permission is published in the OpenAPI document as
 * `x-permission` and enforced by the access guard before validation runs.
 */
export function defineRoute<R extends RouteConfig>(config: R & { 'x-permission': Permission }) {
  return createRoute(config);
}

/** The actor, or a 401 problem. For handlers whose permission already implies a signed-in caller. */
export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw problems.unauthenticated();
  return actor;
}

export { Problem };

/** A JSON response entry for a route definition. */
export const json = <S>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A required JSON request body for a route definition. */
export const body = <S>(schema: S) => ({ body: { required: true, content: { 'application/json': { schema } } } });
