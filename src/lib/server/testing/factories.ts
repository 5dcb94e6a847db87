import type { Role } from '../http/access.js';
import type { CreateRecordInput, RecordView } from '../records/index.js';
import type { CreatePlaceInput, Place } from '../places/index.js';
import type { CreateInquiryInput, Inquiry } from '../inquiries/index.js';
import type { CreateSourceInput, Source } from '../sources/index.js';
import { login, sessionFrom, totpCode, type SignedIn, type TestApi } from './api.js';

export interface UserFixture {
  name: string;
  id: string;
  email: string;
  password: string;
  role: Role;
}

/**
 * Named fixtures, so that tests read as stories: `const alice = await factory.user('alice', { role: 'documenter' })`.
 * Users are created through the accounts service, exactly as the CLI does.
 */
export function createFactory(api: TestApi) {
  const users = new Map<string, UserFixture>();
  let n = 0;

  async function user(
    name: string,
    opts: { role?: Role; password?: string; email?: string } = {},
  ): Promise<UserFixture> {
    n += 1;
    const email = opts.email ?? `${name}.${n}@example.org`;
    const password = opts.password ?? `correct horse ${name} battery`;
    const role = opts.role ?? 'documenter';
    const view = await api.platform.accounts.createUser({ email, displayName: name, role, password }, null);
    const fixture = { name, id: view.id, email, password, role };
    users.set(name, fixture);
    return fixture;
  }

  /**
   * A user signed in with a full session (enrolling TOTP through the API first when the role requires it) and
   * holding one API token.
   */
  async function signedIn(name: string, opts: { role?: Role; totp?: boolean } = {}): Promise<SignedIn & UserFixture> {
    const u = await user(name, opts);
    const first = await login(api, u.email, u.password);
    if (first.res.status !== 200 || !first.session) throw new Error(`login of ${name} failed: ${first.res.status}`);
    let session = first.session;
    let totpSecret: string | undefined;
    const me = (await first.res.json()) as { pendingSecondFactor: boolean };
    if (me.pendingSecondFactor || opts.totp) {
      const setup = await api.request('/api/account/totp/setup', { method: 'POST', session });
      totpSecret = ((await setup.json()) as { secret: string }).secret;
      const enable = await api.request('/api/account/totp/enable', {
        method: 'POST',
        session,
        json: { code: totpCode(totpSecret) },
      });
      if (enable.status !== 200) throw new Error(`TOTP enrolment of ${name} failed: ${enable.status}`);
      session = sessionFrom(enable) ?? session;
    }
    const t = await api.request('/api/account/tokens', { method: 'POST', session, json: { name: `${name}'s token` } });
    if (t.status !== 201) throw new Error(`token for ${name} failed: ${t.status}`);
    const token = ((await t.json()) as { token: string }).token;
    return { ...u, userId: u.id, session, token, totpSecret };
  }

  const places = new Map<string, Place>();

  /** A place created through the places service (actor: the system), named for later `factory.placeNamed(name)`. */
  async function place(name: string, input: Partial<CreatePlaceInput> = {}): Promise<Place> {
    const p = await api.platform.places.create({ name, type: 'town', ...input }, null);
    places.set(name, p);
    return p;
  }

  const sources = new Map<string, Source>();

  /** A source created through the sources service (actor: the system), titled with its name unless given. */
  async function source(name: string, input: Partial<CreateSourceInput> = {}): Promise<Source> {
    const s = await api.platform.sources.create({ type: 'media-report', title: name, ...input }, null);
    sources.set(name, s);
    return s;
  }

  const inquiries = new Map<string, Inquiry>();

  /** An inquiry created through the inquiries service (actor: the system), about its name. */
  async function inquiry(name: string, input: Partial<CreateInquiryInput> = {}): Promise<Inquiry> {
    const i = await api.platform.inquiries.create(
      {
        body: 'Ministry of Territorial Administration',
        subject: name,
        sentOn: '2023-01-10',
        dueOn: '2023-02-10',
        ...input,
      },
      null,
    );
    inquiries.set(name, i);
    return i;
  }

  const records = new Map<string, RecordView>();

  /**
   * A draft record created through the records service by `author` (a user fixture), titled with its name unless
   * texts are given.
   */
  async function record(
    name: string,
    author: Pick<UserFixture, 'id' | 'role'>,
    input: Partial<CreateRecordInput> = {},
  ): Promise<RecordView> {
    const r = await api.platform.records.create(
      { texts: { en: { title: name, summary: `About ${name}.` } }, ...input },
      actorOf(author),
    );
    records.set(name, r);
    return r;
  }

  /** Takes a record through the workflow to published: submitted by `author`, approved and published by `reviewer`. */
  async function publish(
    r: Pick<RecordView, 'id'>,
    author: Pick<UserFixture, 'id' | 'role'>,
    reviewer: Pick<UserFixture, 'id' | 'role'>,
  ): Promise<RecordView> {
    await api.platform.records.transition(r.id, { to: 'in-review' }, actorOf(author));
    await api.platform.records.transition(r.id, { to: 'approved' }, actorOf(reviewer));
    return api.platform.records.transition(r.id, { to: 'published' }, actorOf(reviewer));
  }

  const named =
    <T>(map: Map<string, T>, kind: string) =>
    (name: string): T => {
      const v = map.get(name);
      if (!v) throw new Error(`no ${kind} fixture named ${name}`);
      return v;
    };

  return {
    user,
    signedIn,
    place,
    source,
    sourceNamed: named(sources, 'source'),
    inquiry,
    inquiryNamed: named(inquiries, 'inquiry'),
    record,
    recordNamed: named(records, 'record'),
    publish,
    placeNamed: (name: string): Place => {
      const p = places.get(name);
      if (!p) throw new Error(`no place fixture named ${name}`);
      return p;
    },
    get: (name: string): UserFixture => {
      const u = users.get(name);
      if (!u) throw new Error(`no fixture named ${name}`);
      return u;
    },
  };
}

export type Factory = ReturnType<typeof createFactory>;

/** A fixture user as the services take them: signed in by session, second factor done. */
export const actorOf = (u: Pick<UserFixture, 'id' | 'role'>) => ({
  userId: u.id,
  role: u.role,
  via: 'session' as const,
  pendingSecondFactor: false,
});
