import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { S3Settings } from '../core/config.js';
import { createS3Client } from './s3.js';

/** The parts of s3rver 3 (CommonJS, untyped) these tests use. */
interface S3rverInstance {
  middleware: KoaMiddleware[];
  store: { getResourcePath(bucket: string, key: string | undefined, resource: string): string };
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  headers: Record<string, string | string[] | undefined>;
  status: number;
  body: unknown;
  type: string;
  set(name: string, value: string): void;
}
type KoaMiddleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

const S3rver = createRequire(import.meta.url)('s3rver') as new (opts: Record<string, unknown>) => S3rverInstance;

export interface FakeS3 {
  settings: S3Settings;
  client: S3Client;
  bucket: string;
  /** Keys in the bucket under `prefix` (what the tests count). */
  keys(prefix?: string): Promise<string[]>;
  /** After the next PutObject of a key matching `pattern`, the server forgets its `x-amz-meta-sha256`. */
  loseMetadataOf(pattern: RegExp): void;
  /** The next PutObject of a key matching `pattern` answers with the ETag of other bytes. */
  answerWrongEtagFor(pattern: RegExp): void;
  /** PutObject requests received, by key (a second upload of the same file would show here). */
  puts: string[];
  close(): Promise<void>;
}

const XML = '<?xml version="1.0" encoding="UTF-8"?>\n';
const S3NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function s3Error(ctx: KoaContext, status: number, code: string, message: string) {
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body = `${XML}<Error><Code>${code}</Code><Message>${esc(message)}</Message></Error>`;
}

/**
 * s3rver (an S3 server in Node, on a random port, keeping its objects in a temporary directory), completed with what
 * @tus/s3-store needs and s3rver 3.7 lacks: ListParts, AbortMultipartUpload and ListMultipartUploads; and with
 * `If-None-Match: *` on PutObject answered 412 for an existing key, as S3 does. Real HTTP and real SigV4: the SDK is
 * not mocked.
 */
export async function startFakeS3(bucket = 'corridor-test'): Promise<FakeS3> {
  const directory = mkdtempSync(path.join(tmpdir(), 'corridor-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const puts: string[] = [];
  let lose: RegExp | undefined;
  let wrongEtag: RegExp | undefined;
  const uploadsDir = (b: string) => server.store.getResourcePath(b, undefined, 'uploads');

  const completions: KoaMiddleware = async (ctx, next) => {
    // Path-style: /bucket, /bucket/ (the SDK's form for bucket operations) or /bucket/key.
    const m = /^\/([^/]+)(?:\/(.*))?$/.exec(ctx.path);
    if (!m) return next();
    const b = decodeURIComponent(m[1]!);
    const key = m[2] ? decodeURIComponent(m[2]) : undefined;
    const uploadId = typeof ctx.query.uploadId === 'string' ? ctx.query.uploadId : undefined;

    if (key !== undefined && uploadId !== undefined && ctx.method === 'GET') {
      const dir = path.join(uploadsDir(b), uploadId);
      if (!existsSync(dir)) return s3Error(ctx, 404, 'NoSuchUpload', 'The specified upload does not exist.');
      const marker = Number(ctx.query['part-number-marker'] ?? 0);
      const numbers = (await readdir(dir))
        .filter((f) => /^\d+$/.test(f))
        .map(Number)
        .filter((n) => n > marker)
        .sort((a, b) => a - b);
      const parts = await Promise.all(
        numbers.map(async (n) => {
          const file = path.join(dir, String(n));
          const [st, md5] = await Promise.all([stat(file), readFile(`${file}.md5`, 'utf8')]);
          return (
            `<Part><PartNumber>${n}</PartNumber><LastModified>${st.mtime.toISOString()}</LastModified>` +
            `<ETag>"${md5}"</ETag><Size>${st.size}</Size></Part>`
          );
        }),
      );
      ctx.type = 'application/xml';
      ctx.body =
        `${XML}<ListPartsResult xmlns="${S3NS}"><Bucket>${esc(b)}</Bucket><Key>${esc(key)}</Key>` +
        `<UploadId>${uploadId}</UploadId><PartNumberMarker>${marker}</PartNumberMarker><MaxParts>10000</MaxParts>` +
        `<IsTruncated>false</IsTruncated>${parts.join('')}</ListPartsResult>`;
      return;
    }
    if (key !== undefined && uploadId !== undefined && ctx.method === 'DELETE') {
      const dir = path.join(uploadsDir(b), uploadId);
      if (!existsSync(dir)) return s3Error(ctx, 404, 'NoSuchUpload', 'The specified upload does not exist.');
      await rm(dir, { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    if (key === undefined && 'uploads' in ctx.query && ctx.method === 'GET') {
      const root = uploadsDir(b);
      const ids = existsSync(root) ? await readdir(root) : [];
      const uploads = await Promise.all(
        ids.map(async (id) => {
          const [k, st] = await Promise.all([readFile(path.join(root, id, 'key'), 'utf8'), stat(path.join(root, id))]);
          return (
            `<Upload><Key>${esc(k)}</Key><UploadId>${id}</UploadId>` +
            `<Initiated>${st.birthtime.toISOString()}</Initiated></Upload>`
          );
        }),
      );
      ctx.type = 'application/xml';
      ctx.body =
        `${XML}<ListMultipartUploadsResult xmlns="${S3NS}"><Bucket>${esc(b)}</Bucket>` +
        `<IsTruncated>false</IsTruncated>${uploads.join('')}</ListMultipartUploadsResult>`;
      return;
    }
    // The SDK adds `?x-id=PutObject`: a plain PutObject is a PUT on a key without a sub-resource.
    const subresource = ['uploadId', 'partNumber', 'tagging', 'acl'].some((q) => q in ctx.query);
    const plainPut = ctx.method === 'PUT' && key !== undefined && !subresource;
    if (plainPut && !('x-amz-copy-source' in ctx.headers)) {
      if (ctx.headers['if-none-match'] === '*' && existsSync(server.store.getResourcePath(b, key, 'object')))
        return s3Error(ctx, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
      puts.push(key);
      await next();
      if (lose?.test(key) && ctx.status === 200) {
        lose = undefined;
        const file = server.store.getResourcePath(b, key, 'metadata.json');
        const meta = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
        delete meta['x-amz-meta-sha256'];
        await writeFile(file, JSON.stringify(meta));
      }
      if (wrongEtag?.test(key) && ctx.status === 200) {
        wrongEtag = undefined;
        ctx.set('ETag', '"00000000000000000000000000000000"');
      }
      return;
    }
    return next();
  };
  // Before s3rver's router (its last middleware), after its logging and XML rendering.
  server.middleware.splice(server.middleware.length - 1, 0, completions);

  const { port } = await server.run();
  const settings: S3Settings = {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    bucket,
    // s3rver's fixed development keys (it checks the signature).
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
  };
  const client = createS3Client(settings);
  return {
    settings,
    client,
    bucket,
    puts,
    loseMetadataOf(pattern) {
      lose = pattern;
    },
    answerWrongEtagFor(pattern) {
      wrongEtag = pattern;
    },
    async keys(prefix = '') {
      const out: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        out.push(...(page.Contents ?? []).map((o) => o.Key!));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return out.sort();
    },
    async close() {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
