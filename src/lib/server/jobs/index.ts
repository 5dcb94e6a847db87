import type { Logger } from '../core/logger.js';
import type { Db } from '../db/index.js';
import { JobsRepository } from './repository.js';
import { JobRunner, type JobRunnerOptions } from './service.js';

export { JobRunner, type EnqueueOptions, type JobHandler } from './service.js';
export type { JobRow } from './repository.js';

export function createJobsModule(deps: { db: Db; logger: Logger } & Omit<JobRunnerOptions, 'repo' | 'logger'>): {
  runner: JobRunner;
} {
  const { db, ...rest } = deps;
  return { runner: new JobRunner({ ...rest, repo: new JobsRepository(db) }) };
}
