import type { Db } from '../db/index.js';
import type { ApiModule } from '../http/app.js';
import { baseMap } from './geo.js';
import { MapRepository } from './repository.js';
import { mapRoutes } from './routes.js';
import { MapService, type MapServiceDeps } from './service.js';

export { MapService, parseLayers, NO_CATEGORY } from './service.js';
export { PointIndex, zoomFor, type WeightedPoint, type ClusterHit } from './cluster.js';
export { libVersion, libPath } from './assets.js';
export * from './schema.js';

export interface MapModuleDeps {
  db: Db;
  visibleRecordIds: MapServiceDeps['visibleRecordIds'];
  rightsTree: MapServiceDeps['rightsTree'];
  disruptions: MapServiceDeps['disruptions'];
  tileUrl?: MapServiceDeps['tileUrl'];
}

/** The public map (issue 7): read-only, public routes under /api/public/map. */
export function createMapModule(deps: MapModuleDeps): { service: MapService; api: ApiModule } {
  const service = new MapService({
    repo: new MapRepository(deps.db),
    visibleRecordIds: deps.visibleRecordIds,
    rightsTree: deps.rightsTree,
    disruptions: deps.disruptions,
    ...(deps.tileUrl ? { tileUrl: deps.tileUrl } : {}),
    baseUrl: () => `/api/public/map/base?v=${baseMap().version}`,
  });
  return { service, api: { router: mapRoutes(service) } };
}
