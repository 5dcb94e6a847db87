import type { Selectable } from 'kysely';
import type { Db, Executor, Tx } from '../db/index.js';
import type {
  CrisisPopulationTable,
  CrisisTable,
  DisruptionIntervalsTable,
  DisruptionsTable,
  IndicatorObservationsTable,
  IndicatorsTable,
  KeyFiguresTable,
} from '../db/types.js';

export type CrisisRow = Selectable<CrisisTable>;
export type PopulationRow = Selectable<CrisisPopulationTable>;
export type DisruptionRow = Selectable<DisruptionsTable>;
export type IntervalRow = Selectable<DisruptionIntervalsTable>;
export type IndicatorRow = Selectable<IndicatorsTable>;
export type ObservationRow = Selectable<IndicatorObservationsTable>;
export type KeyFigureRow = Selectable<KeyFiguresTable>;

export const CRISIS_ID = 'current';

/** All of the crisis module's SQL. Every table is small (tens to thousands of rows), so lists are read whole. */
export class CrisisRepository {
  constructor(private readonly db: Db) {}

  // --- crisis

  async crisis(ex: Executor = this.db): Promise<CrisisRow | undefined> {
    return ex.selectFrom('crisis').selectAll().where('id', '=', CRISIS_ID).executeTakeFirst();
  }

  async population(ex: Executor = this.db): Promise<PopulationRow[]> {
    return ex.selectFrom('crisis_population').selectAll().orderBy('position').execute();
  }

  async saveCrisis(tx: Tx, row: CrisisRow, population: PopulationRow[] | undefined): Promise<void> {
    const { id, created_at: _created, ...rest } = row;
    const updated = await tx.updateTable('crisis').set(rest).where('id', '=', id).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) await tx.insertInto('crisis').values(row).execute();
    if (population === undefined) return;
    await tx.deleteFrom('crisis_population').execute();
    if (population.length > 0) await tx.insertInto('crisis_population').values(population).execute();
  }

  // --- disruptions

  async disruptions(ex: Executor = this.db): Promise<DisruptionRow[]> {
    return ex.selectFrom('disruptions').selectAll().orderBy('service').orderBy('created_at').orderBy('id').execute();
  }

  async disruption(id: string, ex: Executor = this.db): Promise<DisruptionRow | undefined> {
    return ex.selectFrom('disruptions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The intervals of the given disruptions, or of all of them, earliest first. */
  async intervals(disruptionIds?: string[], ex: Executor = this.db): Promise<IntervalRow[]> {
    if (disruptionIds && disruptionIds.length === 0) return [];
    let q = ex.selectFrom('disruption_intervals').selectAll();
    if (disruptionIds) q = q.where('disruption_id', 'in', disruptionIds);
    return q.orderBy('starts_on').orderBy('id').execute();
  }

  /** The places of the given disruptions, or of all of them: disruption id → place ids in their order. */
  async disruptionPlaces(disruptionIds?: string[], ex: Executor = this.db): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (disruptionIds && disruptionIds.length === 0) return out;
    let q = ex.selectFrom('disruption_places').select(['disruption_id', 'place_id']);
    if (disruptionIds) q = q.where('disruption_id', 'in', disruptionIds);
    for (const r of await q.orderBy('disruption_id').orderBy('position').execute())
      out.set(r.disruption_id, [...(out.get(r.disruption_id) ?? []), r.place_id]);
    return out;
  }

  async setDisruptionPlaces(tx: Tx, id: string, placeIds: string[]): Promise<void> {
    await tx.deleteFrom('disruption_places').where('disruption_id', '=', id).execute();
    if (placeIds.length > 0)
      await tx
        .insertInto('disruption_places')
        .values(placeIds.map((place_id, position) => ({ disruption_id: id, place_id, position })))
        .execute();
  }

  async interval(id: string, ex: Executor = this.db): Promise<IntervalRow | undefined> {
    return ex.selectFrom('disruption_intervals').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertDisruption(tx: Tx, row: DisruptionRow, intervals: IntervalRow[]): Promise<void> {
    await tx.insertInto('disruptions').values(row).execute();
    if (intervals.length > 0) await tx.insertInto('disruption_intervals').values(intervals).execute();
  }

  async updateDisruption(tx: Tx, row: DisruptionRow): Promise<void> {
    const { id, created_at: _c, created_by: _b, ...rest } = row;
    await tx.updateTable('disruptions').set(rest).where('id', '=', id).execute();
  }

  async touchDisruption(tx: Tx, id: string, at: string): Promise<void> {
    await tx.updateTable('disruptions').set({ updated_at: at }).where('id', '=', id).execute();
  }

  async deleteDisruption(tx: Tx, id: string): Promise<void> {
    // Explicitly rather than through ON DELETE CASCADE, which SQLite honours only with foreign keys on.
    await tx.deleteFrom('disruption_intervals').where('disruption_id', '=', id).execute();
    await tx.deleteFrom('disruption_places').where('disruption_id', '=', id).execute();
    await tx.deleteFrom('disruptions').where('id', '=', id).execute();
  }

  async insertInterval(tx: Tx, row: IntervalRow): Promise<void> {
    await tx.insertInto('disruption_intervals').values(row).execute();
  }

  async updateInterval(tx: Tx, row: IntervalRow): Promise<void> {
    const { id, created_at: _c, disruption_id: _d, ...rest } = row;
    await tx.updateTable('disruption_intervals').set(rest).where('id', '=', id).execute();
  }

  async deleteInterval(tx: Tx, id: string): Promise<void> {
    await tx.deleteFrom('disruption_intervals').where('id', '=', id).execute();
  }

  // --- indicators

  async indicators(ex: Executor = this.db): Promise<IndicatorRow[]> {
    return ex.selectFrom('indicators').selectAll().orderBy('created_at').orderBy('id').execute();
  }

  async indicator(id: string, ex: Executor = this.db): Promise<IndicatorRow | undefined> {
    return ex.selectFrom('indicators').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async observations(indicatorIds?: string[], ex: Executor = this.db): Promise<ObservationRow[]> {
    if (indicatorIds && indicatorIds.length === 0) return [];
    let q = ex.selectFrom('indicator_observations').selectAll();
    if (indicatorIds) q = q.where('indicator_id', 'in', indicatorIds);
    return q.orderBy('as_of').orderBy('created_at').orderBy('id').execute();
  }

  async observation(id: string, ex: Executor = this.db): Promise<ObservationRow | undefined> {
    return ex.selectFrom('indicator_observations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertIndicator(tx: Tx, row: IndicatorRow): Promise<void> {
    await tx.insertInto('indicators').values(row).execute();
  }

  async updateIndicator(tx: Tx, row: IndicatorRow): Promise<void> {
    const { id, created_at: _c, created_by: _b, ...rest } = row;
    await tx.updateTable('indicators').set(rest).where('id', '=', id).execute();
  }

  async deleteIndicator(tx: Tx, id: string): Promise<void> {
    await tx.deleteFrom('indicator_observations').where('indicator_id', '=', id).execute();
    await tx.deleteFrom('indicators').where('id', '=', id).execute();
  }

  async insertObservation(tx: Tx, row: ObservationRow): Promise<void> {
    await tx.insertInto('indicator_observations').values(row).execute();
    await tx.updateTable('indicators').set({ updated_at: row.created_at }).where('id', '=', row.indicator_id).execute();
  }

  async deleteObservation(tx: Tx, id: string): Promise<void> {
    await tx.deleteFrom('indicator_observations').where('id', '=', id).execute();
  }

  // --- key figures

  async keyFigures(ex: Executor = this.db): Promise<KeyFigureRow[]> {
    return ex.selectFrom('key_figures').selectAll().orderBy('as_of', 'desc').orderBy('created_at', 'desc').execute();
  }

  async keyFigure(id: string, ex: Executor = this.db): Promise<KeyFigureRow | undefined> {
    return ex.selectFrom('key_figures').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertKeyFigure(tx: Tx, row: KeyFigureRow): Promise<void> {
    await tx.insertInto('key_figures').values(row).execute();
  }

  async updateKeyFigure(tx: Tx, row: KeyFigureRow): Promise<void> {
    const { id, created_at: _c, created_by: _b, ...rest } = row;
    await tx.updateTable('key_figures').set(rest).where('id', '=', id).execute();
  }

  async deleteKeyFigure(tx: Tx, id: string): Promise<void> {
    await tx.deleteFrom('key_figures').where('id', '=', id).execute();
  }

  // --- activity

  /** The latest changes of each kind, newest first; the service merges them. */
  async recent(limit: number, ex: Executor = this.db) {
    const [disruptions, indicators, observations, keyFigures] = await Promise.all([
      ex
        .selectFrom('disruptions')
        .select(['id', 'service', 'label', 'updated_at'])
        .orderBy('updated_at', 'desc')
        .limit(limit)
        .execute(),
      ex
        .selectFrom('indicators')
        .select(['id', 'names', 'updated_at'])
        .orderBy('updated_at', 'desc')
        .limit(limit)
        .execute(),
      ex
        .selectFrom('indicator_observations')
        .select(['id', 'indicator_id', 'as_of', 'value', 'kind', 'created_at'])
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute(),
      ex
        .selectFrom('key_figures')
        .select(['id', 'label', 'value', 'updated_at'])
        .orderBy('updated_at', 'desc')
        .limit(limit)
        .execute(),
    ]);
    return { disruptions, indicators, observations, keyFigures };
  }
}
