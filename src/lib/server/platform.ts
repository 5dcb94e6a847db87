import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createAccountsModule, type AccountsModule } from './accounts/index.js';
import { createAuditModule, type AuditLog } from './audit/index.js';
import { createCrisisModule, type CrisisService } from './crisis/index.js';
import { createGroupsModule, type GroupsService } from './groups/index.js';
import { createInquiriesModule, type InquiriesService, type VisibleRecordIds } from './inquiries/index.js';
import { createPlacesModule, type PlacesService } from './places/index.js';
import {
  createPeopleModule,
  envKeySource,
  fileKeySource,
  KeyRing,
  memoryKeySource,
  type MasterKeySource,
  type PeopleService,
} from './people/index.js';
import { createStoriesModule, type StoriesService } from './stories/index.js';
import { createPublicationGuard, type GuardText } from './privacy/index.js';
import { createPortalModule, type PortalService } from './portal/index.js';
import { createMapModule, type MapService } from './map/index.js';
import { tileUrlFromEnv } from './core/config.js';
import { createReportsModule, type ReportsService } from './reports/index.js';
import { createRecordsBulk, createRecordsModule, RecordQuerySchema, type RecordsService } from './records/index.js';
import {
  createSearchModule,
  parseQuery,
  rebuildSearch,
  recoverSearch,
  type SavedSearchesService,
  type SearchIndex,
} from './search/index.js';
import { createRightsModule, type RightsService } from './rights/index.js';
import { createSourcesModule, type SourcesService } from './sources/index.js';
import { createBlobStore, openFileStorage } from './storage/index.js';
import {
  createEvidenceModule,
  openBucketUploads,
  type EvidenceLimits,
  type EvidenceService,
  type TusUploads,
} from './evidence/index.js';
import { createJobsModule, type JobRunner } from './jobs/index.js';
import { createPhotosModule, type PhotosService } from './photos/index.js';
import { createTransferModule, type ExportService, type ImportService } from './transfer/index.js';
import type { Config, StorageSettings } from './core/config.js';
import type { Logger } from './core/logger.js';
import { openDatabase, type DatabaseHandle, type DatabaseTarget } from './db/index.js';
import { createApi } from './http/app.js';
import { Problem, problems, zodErrors } from './http/problem.js';
import type { ApiEnv } from './http/router.js';
import { systemRoutes } from './system/index.js';
import { VERSION } from './version.js';

/** The composition root: the one place that knows every module and wires each with exactly what it needs. */
export interface Platform {
  api: OpenAPIHono<ApiEnv>;
  database: DatabaseHandle;
  audit: AuditLog;
  accounts: AccountsModule['service'];
  portal: PortalService;
  rights: RightsService;
  places: PlacesService;
  groups: GroupsService;
  records: RecordsService;
  sources: SourcesService;
  inquiries: InquiriesService;
  crisis: CrisisService;
  people: PeopleService;
  stories: StoriesService;
  savedSearches: SavedSearchesService;
  search: SearchIndex;
  /** Empties the search index and fills it again from the tables (`corridor search rebuild`). */
  rebuildSearch(): Promise<Record<string, number>>;
  imports: ImportService;
  exports: ExportService;
  reports: ReportsService;
  /** Durable jobs (image derivatives). */
  jobs: JobRunner;
  evidence: EvidenceService;
  evidenceUploads: TusUploads;
  photos: PhotosService;
  map: MapService;
  close(): Promise<void>;
}

export interface PlatformOptions {
  database: DatabaseTarget;
  secret: string;
  logger: Logger;
  publicUrl?: string;
  /** Run pending migrations first (default true). */
  migrate?: boolean;
  /**
   * Where the master keys of protected identities come from (`masterKeySource(config)`); keys held in memory only
   * when not given (tests, throwaway platforms). Startup stops when they do not match the database.
   */
  masterKeys?: MasterKeySource;
  /** Where uploaded files are kept (`blobs/` inside it); a temporary directory, removed on close, when not given. */
  dataDir?: string;
  /** Run durable jobs in the background (default: when a data directory is given). */
  runJobs?: boolean;
  /** The vault's size and pixel limits (defaults in the evidence module). */
  evidenceLimits?: Partial<EvidenceLimits>;
  /**
   * Where files are kept (`config.storage`): the data directory by default, or an S3-compatible bucket, checked at
   * start. Temporary copies made while hashing stay in the data directory either way.
   */
  storage?: StorageSettings;
}

export async function createPlatform(opts: PlatformOptions): Promise<Platform> {
  const storage = await openFileStorage(opts.storage);
  const database = openDatabase(
    opts.database.kind === 'sqlite'
      ? {
          ...opts.database,
          checkpoints: {
            onError: (err) => opts.logger.warn({ err }, 'background checkpoints stopped; the writer checkpoints'),
          },
        }
      : opts.database,
  );
  try {
    if (opts.migrate !== false) await database.migrate();
  } catch (err) {
    await database.close();
    storage.close();
    throw err;
  }
  const { db, dialect } = database;
  const uow = database.uow;
  const audit = createAuditModule(db, dialect);
  const accounts = createAccountsModule({
    db,
    dialect,
    uow,
    audit: audit.audit,
    secret: opts.secret,
    logger: opts.logger,
  });
  const portal = createPortalModule(db, uow, audit.audit);
  // Rights and records need each other: a right cited by a record cannot be deleted (the usage counter), and a
  // record checks the rights it cites. The counter is only called after both exist.
  const rights = createRightsModule({
    db,
    dialect,
    uow,
    audit: audit.audit,
    usage: (rightId, ex) => records.service.countRightUsage(rightId, ex),
  });
  const search = createSearchModule({
    db,
    dialect,
    uow,
    defer: (tx, queries) => database.defer(tx, queries),
    audit: audit.audit,
    validateParams: (params) => {
      const r = RecordQuerySchema.safeParse(params);
      return r.success ? [] : zodErrors(r.error);
    },
  });
  // A place's names are part of its records' search documents.
  const places = createPlacesModule({
    db,
    dialect,
    uow,
    audit: audit.audit,
    onNamesChanged: (tx, placeId) => records.service.reindexPlace(tx, placeId),
  });
  const knownUsers = async (ids: string[]) => {
    const wanted = new Set(ids);
    return new Set((await accounts.service.listUsers()).map((u) => u.id).filter((id) => wanted.has(id)));
  };
  const groups = createGroupsModule({ db, uow, audit: audit.audit, knownUsers });
  const records = createRecordsModule({
    db,
    dialect,
    uow,
    audit: audit.audit,
    places: places.service,
    rights: rights.service,
    knownUsers,
    knownGroups: (ids) => groups.service.existing(ids),
    groupsOf: (userId) => groups.service.groupIdsOf(userId),
    search: search.index,
    // Checked against the persons of the stories that cite the record and of its interview sources.
    publishGuard: async (record, actor, override) => {
      const texts: GuardText[] = Object.entries(record.texts).flatMap(([lang, t]) => [
        { field: `texts.${lang}.title`, text: t.title },
        { field: `texts.${lang}.summary`, text: t.summary },
        { field: `texts.${lang}.description`, text: t.description ?? '' },
      ]);
      record.responsible.forEach((r, i) => texts.push({ field: `responsible.${i}.attribution`, text: r.attribution }));
      const interviews = (await sources.service.ofRecord(record.id, actor)).filter((s) => s.type === 'interview');
      const refs = await Promise.all(interviews.map(async (s) => (await sources.service.get(s.id, actor)).personRef));
      const personIds = [
        ...(await stories.service.personsLinkedToRecord(record.id)),
        ...refs.filter((r): r is string => r !== null),
      ];
      const known = await people.service.pseudonyms(personIds);
      return guardPublication({
        entityType: 'record',
        entityId: record.id,
        texts,
        personIds: personIds.filter((p) => known.has(p)),
        actorId: actor.userId,
        override,
      });
    },
  });
  // Sources and inquiries link to records: the records module's visibility rule decides which they may show.
  const visibleRecordIds: VisibleRecordIds = (actor, ids) => records.service.visibleRecordIds(actor, ids);
  const sources = createSourcesModule({
    db,
    dialect,
    uow,
    audit: audit.audit,
    visibleRecordIds,
    index: {
      upsert: (tx, doc) => search.index.upsertSource(tx, doc),
      remove: (tx, id) => search.index.removeSource(tx, id),
      match: (q, limit) => search.index.searchSources(parseQuery(q), limit),
    },
  });
  const inquiries = createInquiriesModule({ db, dialect, uow, audit: audit.audit, visibleRecordIds });
  // The crisis figures cite the register's sources; the sources module says which ids exist.
  const crisis = createCrisisModule({
    db,
    uow,
    audit: audit.audit,
    existingSources: async (ids) => {
      const found = await Promise.all(
        ids.map((id) =>
          sources.service.get(id, null).then(
            () => id,
            () => null,
          ),
        ),
      );
      return new Set(found.filter((id): id is string => id !== null));
    },
    // Public figures are attributed; an interview is cited without its title, publisher or address, which can name
    // the person interviewed.
    citeSource: async (id) => {
      const source = await sources.service.get(id, null).catch(() => null);
      if (!source) return null;
      const interview = source.type === 'interview';
      return {
        title: interview ? null : source.title,
        publisher: interview ? null : source.publisher,
        date: source.date,
        url: interview ? null : source.url,
      };
    },
    // A disruption's area as gazetteer places (the public map draws them).
    existingPlaces: async (ids) => {
      const found = await Promise.all(
        ids.map((id) =>
          places.service.get(id).then(
            () => id,
            () => null,
          ),
        ),
      );
      return new Set(found.filter((id): id is string => id !== null));
    },
  });
  const people = createPeopleModule({
    db,
    uow,
    audit: audit.audit,
    keys: new KeyRing(opts.masterKeys ?? memoryKeySource()),
    knownUsers,
  });
  try {
    await people.service.checkKeys();
  } catch (err) {
    await database.close();
    storage.close();
    throw err;
  }
  const guardPublication = createPublicationGuard({
    uow,
    audit: audit.audit,
    identities: (tx, ids, purpose) => people.service.identitiesForGuard(tx, ids, purpose),
  });
  const exists = async (ids: string[], get: (id: string) => Promise<unknown>) => {
    const found = await Promise.all(
      ids.map((id) =>
        get(id).then(
          () => id,
          () => null,
        ),
      ),
    );
    return new Set(found.filter((id): id is string => id !== null));
  };
  const stories = createStoriesModule({
    db,
    dialect,
    uow,
    audit: audit.audit,
    people: people.service,
    guardPublication,
    refs: {
      visibleRecords: visibleRecordIds,
      existingRights: (ids) => exists(ids, (id) => rights.service.get(id)),
      existingPlaces: (ids) => exists(ids, (id) => places.service.get(id)),
      source: async (id) => {
        const s = await sources.service.get(id, null).catch(() => null);
        return s ? { type: s.type, personRef: s.personRef } : null;
      },
    },
  });
  const scratch = opts.dataDir ? undefined : mkdtempSync(path.join(tmpdir(), 'corridor-blobs-'));
  const transfer = createTransferModule({
    db,
    dialect,
    uow,
    audit: audit.audit,
    blobs: createBlobStore(storage, scratch ?? path.join(opts.dataDir!, 'blobs'), 'imports'),
    logger: opts.logger,
    bulk: createRecordsBulk({
      db,
      dialect,
      audit: audit.audit,
      index: (tx, ids) => records.service.indexRecords(tx, ids),
      prepareIndex: (created) => records.service.prepareIndex(created),
      insertIndex: (tx, docs) => records.service.insertIndex(tx, docs),
    }),
    records: records.service,
    places: places.service,
    rights: rights.service,
    bulkWrites: (work) => database.bulkWrites(work),
  });

  // Editions read only public facts: the crisis counters and published public records, with their sources.
  const reports = createReportsModule({
    db,
    dialect,
    uow,
    audit: audit.audit,
    blobs: createBlobStore(storage, path.join(scratch ?? opts.dataDir!, 'reports'), 'reports'),
    logger: opts.logger,
    crisis: crisis.service,
    records: records.service,
    sources: sources.service,
    rights: rights.service,
    places: places.service,
  });
  // Human stories in each right's section of an edition: public ones only, by pseudonym.
  reports.service.registerContributor({
    id: 'stories',
    contribute: (ctx) => stories.service.contributionsFor(ctx),
  });

  // Durable jobs (image derivatives): run by the process that has a data directory (the server, the CLI while it
  // works); tests run them by hand (`platform.jobs.drain()`).
  const { runner: jobs } = createJobsModule({ db, logger: opts.logger });
  const filesRoot = scratch ?? opts.dataDir!;
  const evidence = createEvidenceModule({
    db,
    dialect,
    uow,
    audit: audit.audit,
    blobs: createBlobStore(storage, path.join(filesRoot, 'evidence'), 'evidence'),
    uploadsDir: path.join(filesRoot, 'uploads'),
    uploadsBucket: storage.kind === 's3' ? await openBucketUploads(storage) : undefined,
    jobs,
    logger: opts.logger,
    limits: opts.evidenceLimits,
    visibleRecordIds,
    sourceVisible: (actor, id) =>
      sources.service.get(id, actor).then(
        () => true,
        () => false,
      ),
    photoCodesOf: (ids) => photos.service.codesOfEvidence(ids),
  });
  const photos = createPhotosModule({
    db,
    dialect,
    uow,
    audit: audit.audit,
    evidence: evidence.service,
    placeName: (id) =>
      places.service.get(id).then(
        (p) => p.name,
        () => undefined,
      ),
    visibleRecordIds,
    personPseudonyms: (ids) => people.service.pseudonyms(ids),
    publishGuard: async (photo, actor) => {
      // The persons of the stories that show the photo, and those its consents name.
      const personIds = [...new Set([...(await stories.service.personsLinkedToPhoto(photo.id)), ...photo.personIds])];
      return guardPublication({
        entityType: 'photo',
        entityId: photo.id,
        texts: Object.entries(photo.captions).map(([lang, text]) => ({ field: `captions.${lang}`, text })),
        personIds,
        actorId: actor.userId,
      });
    },
  });
  // The public map reads published public records (through the records module's rule), the rights taxonomy and the
  // crisis's disruptions; the tile URL is read from the environment when asked.
  const map = createMapModule({
    db,
    visibleRecordIds: (ids) => records.service.visibleRecordIds(null, ids),
    rightsTree: () => rights.service.tree({ includeRetired: true }),
    disruptions: () => crisis.service.disruptions(),
    tileUrl: () => tileUrlFromEnv(),
  });
  if (opts.runJobs ?? opts.dataDir !== undefined) {
    jobs.start();
    evidence.tus.startSweeping();
  }

  const api = createApi({
    logger: opts.logger,
    version: VERSION,
    authenticate: accounts.authenticate,
    publicOrigin: opts.publicUrl ? new URL(opts.publicUrl).origin : undefined,
    classifyError: (err) => {
      if (dialect.isUniqueViolation(err))
        return problems.conflict('A record with the same unique value already exists.');
      if (dialect.isForeignKeyViolation(err))
        return problems.conflict('This refers to something that does not exist or is still in use.');
      return err instanceof Problem ? err : undefined;
    },
    modules: [
      {
        router: systemRoutes({
          version: VERSION,
          dbName: dialect.name,
          ping: database.ping,
        }),
      },
      accounts.api,
      audit.api,
      portal.api,
      rights.api,
      places.api,
      groups.api,
      records.api,
      sources.api,
      inquiries.api,
      crisis.api,
      people.api,
      stories.api,
      search.api,
      transfer.api,
      evidence.api,
      photos.api,
      reports.api,
      map.api,
    ],
  });

  // A migration may have emptied the search index (0010): it is rebuilt from the tables.
  await recoverSearch({
    uow,
    index: search.index,
    producers: { records: (tx) => records.service.indexAll(tx), sources: (tx) => sources.service.indexAll(tx) },
    reindex: (tx, ids) => records.service.indexRecords(tx, ids),
  });

  return {
    api,
    database,
    audit: audit.audit,
    accounts: accounts.service,
    portal: portal.portal,
    rights: rights.service,
    places: places.service,
    groups: groups.service,
    records: records.service,
    sources: sources.service,
    inquiries: inquiries.service,
    crisis: crisis.service,
    people: people.service,
    stories: stories.service,
    savedSearches: search.savedSearches,
    search: search.index,
    rebuildSearch: () =>
      rebuildSearch({
        uow,
        index: search.index,
        producers: { records: (tx) => records.service.indexAll(tx), sources: (tx) => sources.service.indexAll(tx) },
      }),
    imports: transfer.imports,
    exports: transfer.exports,
    jobs,
    evidence: evidence.service,
    evidenceUploads: evidence.tus,
    photos: photos.service,
    reports: reports.service,
    map: map.service,
    close: async () => {
      evidence.tus.stop();
      await jobs.stop();
      await database.close();
      storage.close();
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** The master keys: from CORRIDOR_MASTER_KEY when set, else the key file in the data dir (made on first use). */
export function masterKeySource(config: Config): MasterKeySource {
  return config.masterKey ? envKeySource(config.masterKey) : fileKeySource(config.dataDir);
}

export function databaseTarget(config: Config): DatabaseTarget {
  return config.database.kind === 'postgres'
    ? { kind: 'postgres', url: config.database.url }
    : { kind: 'sqlite', file: config.database.file };
}
