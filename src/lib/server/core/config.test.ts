import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'corridor-config-'));

describe('configuration', () => {
  it('defaults to SQLite in the data dir and generates a secret that survives restarts', () => {
    const dir = tmp();
    const a = loadConfig({ CORRIDOR_DATA_DIR: dir });
    expect(a.port).toBe(3000);
    expect(a.database).toEqual({ kind: 'sqlite', file: path.join(dir, 'corridor.db') });
    expect(a.secret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(path.join(dir, 'secret.key'), 'utf8').trim()).toBe(a.secret);
    expect(loadConfig({ CORRIDOR_DATA_DIR: dir }).secret).toBe(a.secret);
  });

  it('selects PostgreSQL from DATABASE_URL', () => {
    const c = loadConfig({ CORRIDOR_DATA_DIR: tmp(), DATABASE_URL: 'postgres://u@db:5432/x' });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/x' });
  });

  it('rejects bad values with a message naming the variable', () => {
    expect(() => loadConfig({ CORRIDOR_DATA_DIR: tmp(), PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ CORRIDOR_DATA_DIR: tmp(), DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ CORRIDOR_DATA_DIR: tmp(), CORRIDOR_SECRET: 'short' })).toThrow(/CORRIDOR_SECRET/);
  });

  it('keeps files on disk by default, and refuses S3 without a bucket or with half a key pair, never echoing the secret', () => {
    expect(loadConfig({ CORRIDOR_DATA_DIR: tmp() }).storage).toEqual({ kind: 'disk' });
    const s3 = { CORRIDOR_DATA_DIR: tmp(), CORRIDOR_STORAGE: 's3', CORRIDOR_S3_REGION: 'eu-west-3' };
    expect(() => loadConfig(s3)).toThrow(ConfigError);
    expect(() => loadConfig(s3)).toThrow(/CORRIDOR_S3_BUCKET: required when CORRIDOR_STORAGE=s3/);
    expect(() => loadConfig({ ...s3, CORRIDOR_S3_BUCKET: '' })).toThrow(/CORRIDOR_S3_BUCKET/);
    expect(() => loadConfig({ ...s3, CORRIDOR_S3_BUCKET: 'Not_A_Bucket' })).toThrow(/CORRIDOR_S3_BUCKET/);
    const secret = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY';
    const halfKeys = { ...s3, CORRIDOR_S3_BUCKET: 'vault', CORRIDOR_S3_SECRET_ACCESS_KEY: secret };
    expect(() => loadConfig(halfKeys)).toThrow(/CORRIDOR_S3_ACCESS_KEY_ID: required/);
    const refused = (() => {
      try {
        loadConfig({ ...halfKeys, CORRIDOR_S3_ENDPOINT: 'not a url' });
      } catch (err) {
        return err as Error;
      }
    })();
    expect(refused?.message).toMatch(/CORRIDOR_S3_ENDPOINT/);
    expect(refused?.message).not.toContain(secret);
    expect(() => loadConfig({ ...s3, CORRIDOR_STORAGE: 'ftp' })).toThrow(/CORRIDOR_STORAGE/);
  });

  it('reads an S3-compatible bucket, with path-style addressing by default when an endpoint is given', () => {
    const c = loadConfig({
      CORRIDOR_DATA_DIR: tmp(),
      CORRIDOR_STORAGE: 's3',
      CORRIDOR_S3_ENDPOINT: 'http://127.0.0.1:9000',
      CORRIDOR_S3_REGION: 'us-east-1',
      CORRIDOR_S3_BUCKET: 'corridor-files',
      CORRIDOR_S3_ACCESS_KEY_ID: 'id',
      CORRIDOR_S3_SECRET_ACCESS_KEY: 'secret',
    });
    expect(c.storage).toEqual({
      kind: 's3',
      s3: {
        endpoint: 'http://127.0.0.1:9000',
        region: 'us-east-1',
        bucket: 'corridor-files',
        credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
        forcePathStyle: true,
      },
    });
    const aws = loadConfig({
      CORRIDOR_DATA_DIR: tmp(),
      CORRIDOR_STORAGE: 's3',
      CORRIDOR_S3_REGION: 'eu-west-3',
      CORRIDOR_S3_BUCKET: 'corridor-files',
      CORRIDOR_S3_FORCE_PATH_STYLE: 'false',
    });
    expect(aws.storage).toMatchObject({ s3: { endpoint: undefined, credentials: undefined, forcePathStyle: false } });
  });
});
