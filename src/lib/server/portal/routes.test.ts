import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig, pressEmailFromEnv } from '../core/config.js';
import { describeEachApi } from '../testing/api.js';
import type { Highlight, PressContact } from './index.js';

const sample: Highlight = {
  id: 'sample',
  text: { en: 'According to X, one.', fr: 'Selon X, un.', hy: 'X-ի համաձայն՝ մեկ։', ru: 'Согласно X, один.' },
  figure: null,
  asOf: '2023-01-16',
  source: {
    kind: 'press-release',
    title: 'A release',
    publisher: 'X',
    place: 'Paris',
    date: '2023-01-16',
    citation: 'X, press release, Paris, 2023-01-16',
  },
};

describeEachApi('portal highlights', (api) => {
  it('serves nothing before content is stored, then the stored list to anyone', async () => {
    const empty = await api().request('/api/portal/highlights');
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({ items: [] });

    expect(await api().platform.portal.replaceHighlights([sample], null)).toBe(true);
    const res = await api().request('/api/portal/highlights');
    expect(((await res.json()) as { items: Highlight[] }).items).toEqual([sample]);
  });

  it('writes nothing and audits nothing when the list is unchanged', async () => {
    const before = await api().platform.audit.verify();
    expect(await api().platform.portal.replaceHighlights([sample], null)).toBe(false);
    expect(await api().platform.audit.verify()).toEqual(before);
  });

  it('refuses an invalid list without writing', async () => {
    const before = await api().platform.audit.verify();
    await expect(api().platform.portal.replaceHighlights([{ ...sample, id: 'Not An Id' }], null)).rejects.toThrow();
    expect(await api().platform.audit.verify()).toEqual(before);
  });
});

describeEachApi('portal press contact', (api) => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const contact = async () => {
    const res = await api().request('/api/portal/contact');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    return (await res.json()) as PressContact;
  };

  it('says "not configured" (null) when CORRIDOR_PRESS_EMAIL is unset or empty, to anyone', async () => {
    vi.stubEnv('CORRIDOR_PRESS_EMAIL', undefined);
    expect(await contact()).toEqual({ email: null });
    vi.stubEnv('CORRIDOR_PRESS_EMAIL', '');
    expect(await contact()).toEqual({ email: null });
  });

  it('serves the configured desk address, and follows a change without a restart', async () => {
    vi.stubEnv('CORRIDOR_PRESS_EMAIL', 'press@desk.example.org');
    expect(await contact()).toEqual({ email: 'press@desk.example.org' });
    vi.stubEnv('CORRIDOR_PRESS_EMAIL', 'media@desk.example.org');
    expect(await contact()).toEqual({ email: 'media@desk.example.org' });
  });

  it('never serves an address that is not one', async () => {
    vi.stubEnv('CORRIDOR_PRESS_EMAIL', 'call us <script>');
    expect(await contact()).toEqual({ email: null });
  });

  it('is in the OpenAPI document as a public route', async () => {
    const doc = (await (await api().request('/api/openapi.json')).json()) as {
      paths: Record<string, { get?: { 'x-permission'?: string } }>;
    };
    expect(doc.paths['/api/portal/contact']?.get?.['x-permission']).toBe('public');
  });
});

describe('CORRIDOR_PRESS_EMAIL in the configuration', () => {
  const dir = () => mkdtempSync(path.join(tmpdir(), 'corridor-press-'));

  it('is optional, empty meaning unset, and refused at start when it is not an address', () => {
    expect(loadConfig({ CORRIDOR_DATA_DIR: dir() }).pressEmail).toBeUndefined();
    expect(loadConfig({ CORRIDOR_DATA_DIR: dir(), CORRIDOR_PRESS_EMAIL: '' }).pressEmail).toBeUndefined();
    expect(loadConfig({ CORRIDOR_DATA_DIR: dir(), CORRIDOR_PRESS_EMAIL: 'press@x.example' }).pressEmail).toBe(
      'press@x.example',
    );
    expect(() => loadConfig({ CORRIDOR_DATA_DIR: dir(), CORRIDOR_PRESS_EMAIL: 'nope' })).toThrow(ConfigError);
    expect(() => loadConfig({ CORRIDOR_DATA_DIR: dir(), CORRIDOR_PRESS_EMAIL: 'nope' })).toThrow(
      /CORRIDOR_PRESS_EMAIL/,
    );
  });

  it('reads alone, without touching the data directory', () => {
    expect(pressEmailFromEnv({})).toBeUndefined();
    expect(pressEmailFromEnv({ CORRIDOR_PRESS_EMAIL: 'press@x.example' })).toBe('press@x.example');
    expect(pressEmailFromEnv({ CORRIDOR_PRESS_EMAIL: 'not an address' })).toBeUndefined();
  });
});
