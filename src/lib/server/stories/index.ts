import type { AuditLog } from '../audit/index.js';
import type { Db, SqlDialect, UnitOfWork } from '../db/index.js';
import type { ApiModule } from '../http/app.js';
import type { GuardPublication } from '../privacy/index.js';
import { StoriesRepository } from './repository.js';
import { storiesRoutes } from './routes.js';
import { StoriesService, type StoryPeople, type StoryReferences } from './service.js';

export { StoriesService, consentValidOn, type StoryPeople, type StoryReferences } from './service.js';
export * from './schema.js';

export interface StoriesModuleDeps {
  db: Db;
  dialect: SqlDialect;
  uow: UnitOfWork;
  audit: AuditLog;
  people: StoryPeople;
  refs: StoryReferences;
  guardPublication: GuardPublication;
  today?: () => string;
}

export function createStoriesModule(deps: StoriesModuleDeps): { service: StoriesService; api: ApiModule } {
  const service = new StoriesService({
    repo: new StoriesRepository(deps.db, deps.dialect),
    uow: deps.uow,
    audit: deps.audit,
    people: deps.people,
    refs: deps.refs,
    guardPublication: deps.guardPublication,
    today: deps.today,
  });
  return { service, api: { router: storiesRoutes(service) } };
}
