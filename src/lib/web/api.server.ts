import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { ENROL_PATH, signInPath } from './guard';
import { localizePath } from './locale';
import { problemMessage } from './problems';

/** RFC 9457 problem details as the API sends them. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

export type ApiResult<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; slug: string; problem: ProblemDetails; retryAfter: number | undefined };

type ApiEvent = Pick<RequestEvent, 'fetch' | 'url'>;

/**
 * Calls the in-process API (event.fetch → handle → Hono; no network). Unsafe methods carry the site Origin, as the
 * API's CSRF rule requires; the session cookie travels with event.fetch, and a Set-Cookie in the answer reaches the
 * browser through SvelteKit. `extraHeaders` carries request conditions such as If-Match.
 */
export async function callApi<T>(
  event: ApiEvent,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { ...extraHeaders, origin: event.url.origin, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await event.fetch(`/api${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.ok) {
    const data = (response.status === 204 ? undefined : await response.json().catch(() => undefined)) as T;
    return { ok: true, status: response.status, data };
  }
  const problem = await readProblem(response);
  const retry = Number(response.headers.get('retry-after'));
  return {
    ok: false,
    status: response.status,
    slug: problem.type.replace(/^urn:corridor:problem:/, ''),
    problem,
    retryAfter: Number.isFinite(retry) && retry > 0 ? retry : undefined,
  };
}

async function readProblem(response: Response): Promise<ProblemDetails> {
  const fallback: ProblemDetails = { type: 'about:blank', title: response.statusText, status: response.status };
  try {
    const body = (await response.json()) as Partial<ProblemDetails>;
    return { ...fallback, ...body, type: typeof body.type === 'string' ? body.type : 'about:blank' };
  } catch {
    return fallback;
  }
}

/**
 * GET for a load function: an ended session goes to sign-in, an owed second factor to enrolment, anything else
 * becomes the page's error in the reader's language.
 */
export async function apiGet<T>(event: RequestEvent, path: string): Promise<T> {
  const result = await callApi<T>(event, 'GET', path);
  if (result.ok) return result.data;
  if (result.slug === 'unauthenticated')
    redirect(303, signInPath(event.locals.locale, event.url.pathname + event.url.search));
  if (result.slug === 'second-factor-required') redirect(303, localizePath(ENROL_PATH, event.locals.locale));
  const { message } = problemMessage({ status: result.status, slug: result.slug, detail: result.problem.detail });
  error(result.status, { message });
}
