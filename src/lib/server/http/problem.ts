import { z } from '@hono/zod-openapi';

/** RFC 9457 problem details. Every error a client sees has this shape; nothing else (no stack) leaves the server. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'urn:corridor:problem:validation' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'Field errors, with dotted paths into the request' }),
  })
  .openapi('Problem');

export type ProblemBody = z.infer<typeof ProblemSchema>;

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Validation failed',
  429: 'Too many requests',
  500: 'Internal server error',
};

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    detail?: string,
    readonly extra: { errors?: ProblemBody['errors']; headers?: Record<string, string> } = {},
  ) {
    super(detail ?? TITLES[status] ?? 'Error');
  }

  body(): ProblemBody {
    return {
      type: this.slug === 'about:blank' ? 'about:blank' : `urn:corridor:problem:${this.slug}`,
      title: TITLES[this.status] ?? 'Error',
      status: this.status,
      detail: this.message,
      ...(this.extra.errors ? { errors: this.extra.errors } : {}),
    };
  }

  toResponse(): Response {
    return new Response(JSON.stringify(this.body()), {
      status: this.status,
      headers: { 'content-type': 'application/problem+json', ...this.extra.headers },
    });
  }
}

export const problems = {
  unauthenticated: (detail = 'Sign in or send a valid API token.') => new Problem(401, 'unauthenticated', detail),
  forbidden: (detail = 'Your role does not allow this.') => new Problem(403, 'forbidden', detail),
  notFound: (detail = 'Nothing exists at this address.') => new Problem(404, 'not-found', detail),
  conflict: (detail = 'This conflicts with existing data.') => new Problem(409, 'conflict', detail),
  validation: (errors: NonNullable<ProblemBody['errors']>, detail = 'The request is not valid.') =>
    new Problem(422, 'validation', detail, { errors }),
  badRequest: (detail: string) => new Problem(400, 'bad-request', detail),
  tooLarge: (detail = 'The request body is too large.') => new Problem(413, 'too-large', detail),
  tooManyRequests: (retryAfterSeconds: number, detail = 'Too many attempts. Try again later.') =>
    new Problem(429, 'rate-limited', detail, { headers: { 'retry-after': String(retryAfterSeconds) } }),
};

/** zod issues → RFC 9457 `errors[]` with dotted field paths. */
export function zodErrors(error: z.ZodError): NonNullable<ProblemBody['errors']> {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}

/** Validates input with a zod schema: the parsed value, or a 422 problem naming each field that is wrong. */
export function parseOr422<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw problems.validation(zodErrors(r.error));
  return r.data;
}

/** Standard error responses to attach to an OpenAPI route definition. */
export function problemResponses(...statuses: number[]) {
  const out: Record<
    number,
    { description: string; content: { 'application/problem+json': { schema: typeof ProblemSchema } } }
  > = {};
  for (const s of statuses)
    out[s] = { description: TITLES[s] ?? 'Error', content: { 'application/problem+json': { schema: ProblemSchema } } };
  return out;
}
