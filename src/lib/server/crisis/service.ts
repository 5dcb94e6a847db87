import type { AuditLog } from '../audit/index.js';
import { newId, nowIso } from '../core/ids.js';
import type { Tx, UnitOfWork } from '../db/index.js';
import { parseOr422, Problem, problems } from '../http/problem.js';
import {
  countDisruption,
  dayNumber,
  localDate,
  localDateTime,
  observedAsOf,
  shortfall,
  shortfallText,
  wallTimeToInstant,
  type Lang,
  type Observation,
} from './counters.js';
import {
  CRISIS_ID,
  type CrisisRepository,
  type CrisisRow,
  type DisruptionRow,
  type IndicatorRow,
  type IntervalRow,
  type KeyFigureRow,
  type ObservationRow,
  type PopulationRow,
} from './repository.js';
import {
  AddIntervalSchema,
  AddObservationSchema,
  CreateDisruptionSchema,
  CreateIndicatorSchema,
  CreateKeyFigureSchema,
  PutCrisisSchema,
  SERVICES,
  UpdateDisruptionSchema,
  UpdateIndicatorSchema,
  UpdateIntervalSchema,
  UpdateKeyFigureSchema,
  VariantsSchema,
  type Activity,
  type Crisis,
  type Disruption,
  type DisruptionIntervalRow,
  type Explanation,
  type Indicator,
  type IndicatorSummary,
  type KeyFigure,
  type PublicCitation,
  type PublicCounters,
  type Service,
  type ServiceCounter,
  type Variants,
} from './schema.js';

export interface CrisisServiceDeps {
  repo: CrisisRepository;
  uow: UnitOfWork;
  audit: AuditLog;
  /** Which of these ids are sources of the register (the sources module's check). */
  existingSources: (ids: string[]) => Promise<Set<string>>;
  /** Which of these ids are gazetteer places (the places module's check); none exist when not given. */
  existingPlaces?: (ids: string[]) => Promise<Set<string>>;
  /** How a source is cited in public (the sources module; an interview unnamed); figures cite none when not given. */
  citeSource?: (id: string) => Promise<PublicCitation | null>;
  /** "Now", injected so that tests fix it. */
  clock?: () => Date;
}

const noCrisis = () => problems.notFound('No crisis is set up yet: an editor sets it with PUT /api/crisis.');
const needsCrisis = () => problems.conflict('Set up the crisis (its start and time zone) before entering data.');

/** A date before day 1: 400, with the field it came from so that a form shows it in place. */
function beforeStart(date: string, startDate: string, path: string): Problem {
  return new Problem(400, 'before-crisis-start', `${date} is before the crisis started (${startDate}).`, {
    errors: [{ path, message: `must not be before the crisis start, ${startDate}` }],
  });
}

function checkBaseline(perDay: number): void {
  if (!(perDay > 0))
    throw new Problem(400, 'bad-baseline', 'The baseline per day must be greater than 0.', {
      errors: [{ path: 'baselinePerDay', message: 'must be greater than 0' }],
    });
}

const variants = (json: string): Variants => VariantsSchema.parse(JSON.parse(json));
const flag = (n: number | boolean) => Number(n) === 1 || n === true;

/** The name in a language, else in the first language that has one. */
export function pick(v: Variants, lang: Lang): string {
  return v[lang] ?? v.en ?? v.fr ?? v.hy ?? v.ru ?? '';
}

/** "Same label" for key figures: the first variant present, folded. */
const labelKey = (v: Variants) => pick(v, 'en').trim().toLowerCase();

function instantOf(value: string, zone: string): Date {
  return /(Z|[+-]\d{2}:\d{2})$/.test(value) ? new Date(value) : wallTimeToInstant(value, zone);
}

/**
 * The crisis, its counters and the numbers behind them. Reads are pure and need no actor (they only return what is
 * fine to publish); writes run in one transaction with their audit entry. Source ids are checked before the
 * transaction (SQLite has one connection: another module's read inside it would wait forever).
 */
export class CrisisService {
  constructor(private readonly deps: CrisisServiceDeps) {}

  private get repo() {
    return this.deps.repo;
  }

  private now(): Date {
    return (this.deps.clock ?? (() => new Date()))();
  }

  // --- the crisis -------------------------------------------------------------------------------------------------

  async crisis(): Promise<Crisis | null> {
    const row = await this.repo.crisis();
    if (!row) return null;
    return this.crisisView(row, await this.repo.population());
  }

  private async requireCrisis(): Promise<Crisis> {
    const c = await this.crisis();
    if (!c) throw noCrisis();
    return c;
  }

  /** Today in the crisis zone; once the crisis has ended, its end date. */
  defaultAsOf(c: Crisis): string {
    const today = localDate(this.now(), c.timeZone);
    return c.endDate !== null && c.endDate < today ? c.endDate : today;
  }

  async putCrisis(input: unknown, actorId: string | null): Promise<Crisis> {
    const data = parseOr422(PutCrisisSchema, input);
    const startsAt = instantOf(data.startsAt, data.timeZone);
    const endsAt = data.endsAt ? instantOf(data.endsAt, data.timeZone) : null;
    const errors: { path: string; message: string }[] = [];
    if (Number.isNaN(startsAt.getTime())) errors.push({ path: 'startsAt', message: 'not a valid instant' });
    if (endsAt && Number.isNaN(endsAt.getTime())) errors.push({ path: 'endsAt', message: 'not a valid instant' });
    else if (endsAt && endsAt < startsAt)
      errors.push({ path: 'endsAt', message: 'the end cannot be before the start' });
    if (data.status === 'ended' && !endsAt) errors.push({ path: 'endsAt', message: 'an ended crisis needs its end' });
    if (errors.length) throw problems.validation(errors);
    await this.checkSources((data.population ?? []).map((p, i) => [`population.${i}.sourceId`, p.sourceId]));

    const at = nowIso();
    const population: PopulationRow[] | undefined = data.population?.map((p, i) => ({
      id: newId(),
      position: i,
      label: JSON.stringify(p.label),
      value: p.value,
      source_id: p.sourceId,
      note: p.note ?? null,
    }));
    await this.deps.uow.run(async (tx) => {
      const before = await this.repo.crisis(tx);
      const row: CrisisRow = {
        id: CRISIS_ID,
        names: JSON.stringify(data.name),
        starts_at: startsAt.toISOString(),
        time_zone: data.timeZone,
        status: data.status,
        ends_at: endsAt ? endsAt.toISOString() : null,
        updated_by: actorId,
        created_at: before?.created_at ?? at,
        updated_at: at,
      };
      const beforeView = before ? this.crisisView(before, await this.repo.population(tx)) : null;
      await this.repo.saveCrisis(tx, row, population);
      const after = this.crisisView(row, population ?? (await this.repo.population(tx)));
      await this.audit(tx, actorId, 'crisis.put', 'crisis', CRISIS_ID, { before: beforeView, after });
    });
    return this.requireCrisis();
  }

  /** Day N of the crisis on a date (1-based, inclusive, crisis zone); a 400 problem before the start. */
  async dayOf(date: string, path = 'asOf'): Promise<number> {
    const c = await this.requireCrisis();
    return this.dayIn(c, date, path);
  }

  private dayIn(c: Crisis, date: string, path: string): number {
    const n = dayNumber(c.startDate, date);
    if (n < 1) throw beforeStart(date, c.startDate, path);
    return n;
  }

  private crisisView(row: CrisisRow, population: PopulationRow[]): Crisis {
    return {
      name: variants(row.names),
      startsAt: row.starts_at,
      startsAtLocal: localDateTime(row.starts_at, row.time_zone),
      startDate: localDate(row.starts_at, row.time_zone),
      timeZone: row.time_zone,
      status: row.status === 'ended' ? 'ended' : 'ongoing',
      endsAt: row.ends_at,
      endDate: row.ends_at ? localDate(row.ends_at, row.time_zone) : null,
      population: population.map((p) => ({
        label: variants(p.label),
        value: Number(p.value),
        sourceId: p.source_id,
        note: p.note,
      })),
      updatedAt: row.updated_at,
    };
  }

  // --- counters ---------------------------------------------------------------------------------------------------

  /** Exactly the body of GET /api/public/counters. */
  async counters(asOf?: string, lang: Lang = 'en'): Promise<PublicCounters> {
    const c = await this.requireCrisis();
    const date = asOf ?? this.defaultAsOf(c);
    const day = this.dayIn(c, date, 'asOf');
    const [intervals, indicators, observations, figures] = await Promise.all([
      this.disruptionIntervals(),
      this.repo.indicators(),
      this.repo.observations(),
      this.keyFigures(date),
    ]);
    const cite = this.deps.citeSource;
    const keyFigures = await Promise.all(
      figures.map(async (f) => ({
        id: f.id,
        label: f.label,
        value: f.value,
        unit: f.unit,
        asOf: f.asOf,
        illustrative: f.illustrative,
        source: f.sourceId && cite ? await cite(f.sourceId) : null,
      })),
    );
    return {
      day,
      asOf: date,
      crisis: { name: c.name, startDate: c.startDate, timeZone: c.timeZone, status: c.status },
      disruptions: serviceCounters(intervals, c.startDate, date),
      indicators: indicators.map((i) => {
        const obs = observations.filter((o) => o.indicator_id === i.id).map(observationOf);
        const f = shortfall(i.baseline_per_day, day, observedAsOf(obs, date));
        return {
          id: i.id,
          name: variants(i.names),
          unit: variants(i.unit),
          ...f,
          text: shortfallText(f, lang),
          illustrative: flag(i.illustrative),
        };
      }),
      keyFigures,
    };
  }

  /** Where each number as of a date comes from. */
  async explain(asOf: string): Promise<Explanation> {
    const c = await this.requireCrisis();
    this.dayIn(c, asOf, 'asOf');
    const intervals = (await this.disruptionIntervals()).filter((i) => i.start <= asOf);
    const groups = new Map<string, Explanation['disruptions'][number]>();
    for (const i of intervals) {
      const key = `${i.service}\u0000${i.label ?? ''}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { service: i.service, label: i.label, intervals: [] }));
      g.intervals.push({
        start: i.start,
        end: i.end,
        severity: i.severity,
        sourceId: i.sourceId,
        area: i.area,
        illustrative: i.illustrative,
      });
    }
    const [indicators, observations, figures] = await Promise.all([
      this.repo.indicators(),
      this.repo.observations(),
      this.keyFigures(asOf),
    ]);
    return {
      disruptions: [...groups.values()].sort((a, b) => serviceOrder(a.service, b.service)),
      indicators: indicators.map((i) => {
        const rows = observations.filter((o) => o.indicator_id === i.id && o.as_of <= asOf);
        const latest = rows[rows.length - 1];
        const observed = observedAsOf(rows.map(observationOf), asOf);
        return {
          id: i.id,
          baseline: { perDay: i.baseline_per_day, sourceId: i.baseline_source_id, period: i.baseline_period },
          observation:
            latest && observed !== null
              ? { asOf: latest.as_of, cumulative: observed, sourceId: latest.source_id }
              : null,
        };
      }),
      keyFigures: figures.map((f) => ({ id: f.id, sourceId: f.sourceId })),
    };
  }

  // --- disruptions ------------------------------------------------------------------------------------------------

  async disruptions(): Promise<Disruption[]> {
    const [rows, intervals, places] = await Promise.all([
      this.repo.disruptions(),
      this.repo.intervals(),
      this.repo.disruptionPlaces(),
    ]);
    return rows
      .map((r) => disruptionView(r, intervals, places))
      .sort((a, b) => serviceOrder(a.service, b.service) || a.createdAt.localeCompare(b.createdAt));
  }

  async disruption(id: string): Promise<Disruption> {
    const row = await this.repo.disruption(id);
    if (!row) throw problems.notFound('No such disruption.');
    return disruptionView(row, await this.repo.intervals([id]), await this.repo.disruptionPlaces([id]));
  }

  /** Every interval with its disruption's service, area and flags, earliest first: for charts and counting. */
  async disruptionIntervals(): Promise<DisruptionIntervalRow[]> {
    const [rows, intervals] = await Promise.all([this.repo.disruptions(), this.repo.intervals()]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return intervals.flatMap((i) => {
      const d = byId.get(i.disruption_id);
      if (!d) return [];
      return [
        {
          disruptionId: d.id,
          service: d.service as Service,
          label: d.label,
          area: d.area,
          illustrative: flag(d.illustrative),
          start: i.starts_on,
          end: i.ends_on,
          severity: i.severity === 'partial' ? 'partial' : 'complete',
          sourceId: i.source_id ?? d.source_id,
        },
      ];
    });
  }

  async createDisruption(input: unknown, actorId: string | null): Promise<Disruption> {
    const data = parseOr422(CreateDisruptionSchema, input);
    const c = await this.crisisForWrite();
    const first = { start: data.start, end: data.end ?? null, severity: data.severity, sourceId: null, note: null };
    const more = data.intervals ?? [];
    this.dayIn(c, data.start, 'start');
    more.forEach((i, k) => this.dayIn(c, i.start, `intervals.${k}.start`));
    await this.checkSources([
      ['sourceId', data.sourceId],
      ...more.map((i, k) => [`intervals.${k}.sourceId`, i.sourceId] as [string, string | null | undefined]),
    ]);
    const placeIds = await this.checkPlaces(data.placeIds ?? []);
    const at = nowIso();
    const row: DisruptionRow = {
      id: newId(),
      service: data.service,
      label: data.service === 'custom' ? (data.label ?? null) : null,
      area: data.area ?? null,
      source_id: data.sourceId ?? null,
      note: data.note ?? null,
      illustrative: data.illustrative ? 1 : 0,
      created_by: actorId,
      created_at: at,
      updated_at: at,
    };
    const intervals: IntervalRow[] = [first, ...more].map((i) => ({
      id: newId(),
      disruption_id: row.id,
      starts_on: i.start,
      ends_on: i.end ?? null,
      severity: i.severity,
      source_id: i.sourceId ?? null,
      note: i.note ?? null,
      created_at: at,
    }));
    return this.deps.uow.run(async (tx) => {
      await this.repo.insertDisruption(tx, row, intervals);
      await this.repo.setDisruptionPlaces(tx, row.id, placeIds);
      const view = disruptionView(row, intervals, new Map([[row.id, placeIds]]));
      await this.audit(tx, actorId, 'crisis.disruption.create', 'disruption', row.id, { after: view });
      return view;
    });
  }

  async updateDisruption(id: string, input: unknown, actorId: string | null): Promise<Disruption> {
    const data = parseOr422(UpdateDisruptionSchema, input);
    await this.checkSources([['sourceId', data.sourceId]]);
    const placeIds = data.placeIds === undefined ? undefined : await this.checkPlaces(data.placeIds);
    await this.deps.uow.run(async (tx) => {
      const before = await this.repo.disruption(id, tx);
      if (!before) throw problems.notFound('No such disruption.');
      const service = data.service ?? (before.service as Service);
      const label = data.label === undefined ? before.label : data.label;
      if (service === 'custom' && !label)
        throw problems.validation([{ path: 'label', message: 'a custom service needs a label' }]);
      const after: DisruptionRow = {
        ...before,
        service,
        label: service === 'custom' ? label : null,
        area: data.area === undefined ? before.area : data.area,
        source_id: data.sourceId === undefined ? before.source_id : data.sourceId,
        note: data.note === undefined ? before.note : data.note,
        illustrative: data.illustrative === undefined ? before.illustrative : data.illustrative ? 1 : 0,
        updated_at: nowIso(),
      };
      const placesBefore = await this.repo.disruptionPlaces([id], tx);
      await this.repo.updateDisruption(tx, after);
      if (placeIds !== undefined) await this.repo.setDisruptionPlaces(tx, id, placeIds);
      const intervals = await this.repo.intervals([id], tx);
      await this.audit(tx, actorId, 'crisis.disruption.update', 'disruption', id, {
        before: disruptionView(before, intervals, placesBefore),
        after: disruptionView(after, intervals, placeIds === undefined ? placesBefore : new Map([[id, placeIds]])),
      });
    });
    return this.disruption(id);
  }

  async deleteDisruption(id: string, actorId: string | null): Promise<void> {
    await this.deps.uow.run(async (tx) => {
      const before = await this.repo.disruption(id, tx);
      if (!before) throw problems.notFound('No such disruption.');
      const view = disruptionView(
        before,
        await this.repo.intervals([id], tx),
        await this.repo.disruptionPlaces([id], tx),
      );
      await this.repo.deleteDisruption(tx, id);
      await this.audit(tx, actorId, 'crisis.disruption.delete', 'disruption', id, { before: view });
    });
  }

  /** Another interval of the same disruption; overlapping ones are accepted and merged when counted. */
  async addInterval(id: string, input: unknown, actorId: string | null): Promise<Disruption> {
    const data = parseOr422(AddIntervalSchema, input);
    const c = await this.crisisForWrite();
    this.dayIn(c, data.start, 'start');
    await this.checkSources([['sourceId', data.sourceId]]);
    await this.deps.uow.run(async (tx) => {
      if (!(await this.repo.disruption(id, tx))) throw problems.notFound('No such disruption.');
      const at = nowIso();
      const row: IntervalRow = {
        id: newId(),
        disruption_id: id,
        starts_on: data.start,
        ends_on: data.end ?? null,
        severity: data.severity,
        source_id: data.sourceId ?? null,
        note: data.note ?? null,
        created_at: at,
      };
      await this.repo.insertInterval(tx, row);
      await this.repo.touchDisruption(tx, id, at);
      await this.audit(tx, actorId, 'crisis.disruption.add-interval', 'disruption', id, {
        interval: intervalView(row),
      });
    });
    return this.disruption(id);
  }

  /** Changes an interval, e.g. closes an ongoing cut by giving its end. */
  async updateInterval(id: string, intervalId: string, input: unknown, actorId: string | null): Promise<Disruption> {
    const data = parseOr422(UpdateIntervalSchema, input);
    const c = await this.crisisForWrite();
    await this.checkSources([['sourceId', data.sourceId]]);
    await this.deps.uow.run(async (tx) => {
      const before = await this.repo.interval(intervalId, tx);
      if (!before || before.disruption_id !== id) throw problems.notFound('No such interval.');
      const after: IntervalRow = {
        ...before,
        starts_on: data.start ?? before.starts_on,
        ends_on: data.end === undefined ? before.ends_on : data.end,
        severity: data.severity ?? before.severity,
        source_id: data.sourceId === undefined ? before.source_id : data.sourceId,
        note: data.note === undefined ? before.note : data.note,
      };
      this.dayIn(c, after.starts_on, 'start');
      if (after.ends_on !== null && after.ends_on < after.starts_on)
        throw problems.validation([{ path: 'end', message: 'the end cannot be before the start' }]);
      await this.repo.updateInterval(tx, after);
      await this.repo.touchDisruption(tx, id, nowIso());
      await this.audit(tx, actorId, 'crisis.disruption.update-interval', 'disruption', id, {
        before: intervalView(before),
        after: intervalView(after),
      });
    });
    return this.disruption(id);
  }

  /** Removes an interval; the last one cannot go (delete the disruption instead). */
  async deleteInterval(id: string, intervalId: string, actorId: string | null): Promise<Disruption> {
    await this.deps.uow.run(async (tx) => {
      const before = await this.repo.interval(intervalId, tx);
      if (!before || before.disruption_id !== id) throw problems.notFound('No such interval.');
      if ((await this.repo.intervals([id], tx)).length <= 1)
        throw problems.conflict('This is the disruption’s only interval: delete the disruption instead.');
      await this.repo.deleteInterval(tx, intervalId);
      await this.repo.touchDisruption(tx, id, nowIso());
      await this.audit(tx, actorId, 'crisis.disruption.delete-interval', 'disruption', id, {
        before: intervalView(before),
      });
    });
    return this.disruption(id);
  }

  // --- indicators -------------------------------------------------------------------------------------------------

  async indicators(): Promise<Indicator[]> {
    const [rows, observations] = await Promise.all([this.repo.indicators(), this.repo.observations()]);
    return rows.map((r) => indicatorView(r, observations));
  }

  async indicator(id: string): Promise<Indicator> {
    const row = await this.repo.indicator(id);
    if (!row) throw problems.notFound('No such indicator.');
    return indicatorView(row, await this.repo.observations([id]));
  }

  async createIndicator(input: unknown, actorId: string | null): Promise<Indicator> {
    const data = parseOr422(CreateIndicatorSchema, input);
    checkBaseline(data.baselinePerDay);
    await this.checkSources([['baselineSourceId', data.baselineSourceId]]);
    const at = nowIso();
    const row: IndicatorRow = {
      id: newId(),
      names: JSON.stringify(data.name),
      unit: JSON.stringify(data.unit),
      baseline_per_day: data.baselinePerDay,
      baseline_source_id: data.baselineSourceId ?? null,
      baseline_period: data.baselinePeriod ?? null,
      illustrative: data.illustrative ? 1 : 0,
      note: data.note ?? null,
      created_by: actorId,
      created_at: at,
      updated_at: at,
    };
    return this.deps.uow.run(async (tx) => {
      await this.repo.insertIndicator(tx, row);
      const view = indicatorView(row, []);
      await this.audit(tx, actorId, 'crisis.indicator.create', 'indicator', row.id, { after: view });
      return view;
    });
  }

  async updateIndicator(id: string, input: unknown, actorId: string | null): Promise<Indicator> {
    const data = parseOr422(UpdateIndicatorSchema, input);
    if (data.baselinePerDay !== undefined) checkBaseline(data.baselinePerDay);
    await this.checkSources([['baselineSourceId', data.baselineSourceId]]);
    await this.deps.uow.run(async (tx) => {
      const before = await this.repo.indicator(id, tx);
      if (!before) throw problems.notFound('No such indicator.');
      const after: IndicatorRow = {
        ...before,
        names: data.name ? JSON.stringify(data.name) : before.names,
        unit: data.unit ? JSON.stringify(data.unit) : before.unit,
        baseline_per_day: data.baselinePerDay ?? before.baseline_per_day,
        baseline_source_id: data.baselineSourceId === undefined ? before.baseline_source_id : data.baselineSourceId,
        baseline_period: data.baselinePeriod === undefined ? before.baseline_period : data.baselinePeriod,
        illustrative: data.illustrative === undefined ? before.illustrative : data.illustrative ? 1 : 0,
        note: data.note === undefined ? before.note : data.note,
        updated_at: nowIso(),
      };
      await this.repo.updateIndicator(tx, after);
      await this.audit(tx, actorId, 'crisis.indicator.update', 'indicator', id, {
        before: indicatorView(before, []),
        after: indicatorView(after, []),
      });
    });
    return this.indicator(id);
  }

  async deleteIndicator(id: string, actorId: string | null): Promise<void> {
    await this.deps.uow.run(async (tx) => {
      const before = await this.repo.indicator(id, tx);
      if (!before) throw problems.notFound('No such indicator.');
      const view = indicatorView(before, await this.repo.observations([id], tx));
      await this.repo.deleteIndicator(tx, id);
      await this.audit(tx, actorId, 'crisis.indicator.delete', 'indicator', id, { before: view });
    });
  }

  async addObservation(id: string, input: unknown, actorId: string | null): Promise<Indicator> {
    const data = parseOr422(AddObservationSchema, input);
    const c = await this.crisisForWrite();
    this.dayIn(c, data.asOf, 'asOf');
    await this.checkSources([['sourceId', data.sourceId]]);
    await this.deps.uow.run(async (tx) => {
      if (!(await this.repo.indicator(id, tx))) throw problems.notFound('No such indicator.');
      const row: ObservationRow = {
        id: newId(),
        indicator_id: id,
        as_of: data.asOf,
        kind: data.cumulative !== undefined ? 'cumulative' : 'daily',
        value: data.cumulative ?? data.daily ?? 0,
        source_id: data.sourceId ?? null,
        note: data.note ?? null,
        created_by: actorId,
        created_at: nowIso(),
      };
      await this.repo.insertObservation(tx, row);
      await this.audit(tx, actorId, 'crisis.indicator.observe', 'indicator', id, { observation: observationView(row) });
    });
    return this.indicator(id);
  }

  async deleteObservation(id: string, observationId: string, actorId: string | null): Promise<Indicator> {
    await this.deps.uow.run(async (tx) => {
      const before = await this.repo.observation(observationId, tx);
      if (!before || before.indicator_id !== id) throw problems.notFound('No such observation.');
      await this.repo.deleteObservation(tx, observationId);
      await this.audit(tx, actorId, 'crisis.indicator.delete-observation', 'indicator', id, {
        before: observationView(before),
      });
    });
    return this.indicator(id);
  }

  /** Body of GET /api/indicators/{id}/summary. */
  async indicatorSummary(id: string, asOf?: string, lang: Lang = 'en'): Promise<IndicatorSummary> {
    const c = await this.requireCrisis();
    const i = await this.indicator(id);
    const date = asOf ?? this.defaultAsOf(c);
    const day = this.dayIn(c, date, 'asOf');
    const f = shortfall(i.baselinePerDay, day, observedAsOf(i.observations, date));
    return { id, asOf: date, ...f, text: shortfallText(f, lang), lang };
  }

  /** For charts: the observed total and the expected one on each date something was observed, oldest first. */
  async indicatorSeries(id: string): Promise<{ asOf: string; day: number; cumulative: number; expected: number }[]> {
    const c = await this.requireCrisis();
    const i = await this.indicator(id);
    const dates = [...new Set(i.observations.map((o) => o.asOf))].filter((d) => d >= c.startDate).sort();
    return dates.map((d) => {
      const day = dayNumber(c.startDate, d);
      return { asOf: d, day, cumulative: observedAsOf(i.observations, d) ?? 0, expected: i.baselinePerDay * day };
    });
  }

  // --- key figures ------------------------------------------------------------------------------------------------

  /** Every key figure ever stated, newest first. */
  async allKeyFigures(): Promise<KeyFigure[]> {
    return (await this.repo.keyFigures()).map(keyFigureView);
  }

  /** Figures stated at or before `asOf` (any date when not given), the newest per label. */
  async keyFigures(asOf?: string): Promise<KeyFigure[]> {
    const seen = new Set<string>();
    const out: KeyFigure[] = [];
    for (const f of await this.allKeyFigures()) {
      if (asOf !== undefined && f.asOf > asOf) continue;
      const key = labelKey(f.label);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(f);
    }
    return out;
  }

  async keyFigure(id: string): Promise<KeyFigure> {
    const row = await this.repo.keyFigure(id);
    if (!row) throw problems.notFound('No such key figure.');
    return keyFigureView(row);
  }

  async createKeyFigure(input: unknown, actorId: string | null): Promise<KeyFigure> {
    const data = parseOr422(CreateKeyFigureSchema, input);
    const c = await this.crisisForWrite();
    this.dayIn(c, data.asOf, 'asOf');
    await this.checkSources([['sourceId', data.sourceId]]);
    const at = nowIso();
    const row: KeyFigureRow = {
      id: newId(),
      label: JSON.stringify(data.label),
      value: data.value,
      unit: data.unit ? JSON.stringify(data.unit) : null,
      as_of: data.asOf,
      source_id: data.sourceId ?? null,
      note: data.note ?? null,
      illustrative: data.illustrative ? 1 : 0,
      created_by: actorId,
      created_at: at,
      updated_at: at,
    };
    return this.deps.uow.run(async (tx) => {
      await this.repo.insertKeyFigure(tx, row);
      const view = keyFigureView(row);
      await this.audit(tx, actorId, 'crisis.key-figure.create', 'key-figure', row.id, { after: view });
      return view;
    });
  }

  async updateKeyFigure(id: string, input: unknown, actorId: string | null): Promise<KeyFigure> {
    const data = parseOr422(UpdateKeyFigureSchema, input);
    const c = data.asOf === undefined ? null : await this.crisisForWrite();
    if (c && data.asOf) this.dayIn(c, data.asOf, 'asOf');
    await this.checkSources([['sourceId', data.sourceId]]);
    await this.deps.uow.run(async (tx) => {
      const before = await this.repo.keyFigure(id, tx);
      if (!before) throw problems.notFound('No such key figure.');
      const after: KeyFigureRow = {
        ...before,
        label: data.label ? JSON.stringify(data.label) : before.label,
        value: data.value ?? before.value,
        unit: data.unit === undefined ? before.unit : data.unit ? JSON.stringify(data.unit) : null,
        as_of: data.asOf ?? before.as_of,
        source_id: data.sourceId === undefined ? before.source_id : data.sourceId,
        note: data.note === undefined ? before.note : data.note,
        illustrative: data.illustrative === undefined ? before.illustrative : data.illustrative ? 1 : 0,
        updated_at: nowIso(),
      };
      await this.repo.updateKeyFigure(tx, after);
      await this.audit(tx, actorId, 'crisis.key-figure.update', 'key-figure', id, {
        before: keyFigureView(before),
        after: keyFigureView(after),
      });
    });
    return this.keyFigure(id);
  }

  async deleteKeyFigure(id: string, actorId: string | null): Promise<void> {
    await this.deps.uow.run(async (tx) => {
      const before = await this.repo.keyFigure(id, tx);
      if (!before) throw problems.notFound('No such key figure.');
      await this.repo.deleteKeyFigure(tx, id);
      await this.audit(tx, actorId, 'crisis.key-figure.delete', 'key-figure', id, { before: keyFigureView(before) });
    });
  }

  // --- activity ---------------------------------------------------------------------------------------------------

  /** The latest changes to the crisis data, newest first, labelled in a language. */
  async activity(limit = 10, lang: Lang = 'en'): Promise<Activity> {
    const r = await this.repo.recent(limit);
    const c = await this.repo.crisis();
    const names = new Map((await this.repo.indicators()).map((i) => [i.id, pick(variants(i.names), lang)]));
    const items: Activity['items'] = [
      ...(c
        ? [
            {
              kind: 'crisis' as const,
              id: c.id,
              parentId: null,
              label: pick(variants(c.names), lang),
              at: c.updated_at,
            },
          ]
        : []),
      ...r.disruptions.map((d) => ({
        kind: 'disruption' as const,
        id: d.id,
        parentId: null,
        label: d.label ?? d.service,
        at: d.updated_at,
      })),
      ...r.indicators.map((i) => ({
        kind: 'indicator' as const,
        id: i.id,
        parentId: null,
        label: pick(variants(i.names), lang),
        at: i.updated_at,
      })),
      ...r.observations.map((o) => ({
        kind: 'observation' as const,
        id: o.id,
        parentId: o.indicator_id,
        label: `${names.get(o.indicator_id) ?? ''} · ${o.as_of}`,
        at: o.created_at,
      })),
      ...r.keyFigures.map((f) => ({
        kind: 'key-figure' as const,
        id: f.id,
        parentId: null,
        label: pick(variants(f.label), lang),
        at: f.updated_at,
      })),
    ];
    items.sort((a, b) => b.at.localeCompare(a.at) || a.id.localeCompare(b.id));
    return { items: items.slice(0, limit) };
  }

  // --- helpers ----------------------------------------------------------------------------------------------------

  private async crisisForWrite(): Promise<Crisis> {
    const c = await this.crisis();
    if (!c) throw needsCrisis();
    return c;
  }

  /** 422 naming each field whose source does not exist. */
  private async checkSources(refs: [string, string | null | undefined][]): Promise<void> {
    const given = refs.filter((r): r is [string, string] => typeof r[1] === 'string');
    if (given.length === 0) return;
    const found = await this.deps.existingSources([...new Set(given.map((r) => r[1]))]);
    const missing = given.filter(([, id]) => !found.has(id));
    if (missing.length) throw problems.validation(missing.map(([path]) => ({ path, message: 'no such source' })));
  }

  /** The ids deduplicated in their order, or 422 naming each one that is not a gazetteer place. */
  private async checkPlaces(ids: string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return unique;
    const found = (await this.deps.existingPlaces?.(unique)) ?? new Set<string>();
    const missing = ids.flatMap((id, k) =>
      found.has(id) ? [] : [{ path: `placeIds.${k}`, message: 'no such place' }],
    );
    if (missing.length) throw problems.validation(missing);
    return unique;
  }

  private async audit(
    tx: Tx,
    actorId: string | null,
    action: string,
    entityType: string,
    entityId: string,
    change: unknown,
  ): Promise<void> {
    await this.deps.audit.record(tx, { actorId, action, entityType, entityId, change });
  }
}

const serviceOrder = (a: string, b: string) => SERVICES.indexOf(a as Service) - SERVICES.indexOf(b as Service);

/** One counter per service (custom ones per label), every interval of every area in one union. */
export function serviceCounters(intervals: DisruptionIntervalRow[], from: string, asOf: string): ServiceCounter[] {
  const groups = new Map<string, DisruptionIntervalRow[]>();
  for (const i of intervals) {
    const key = `${i.service}\u0000${i.label ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  return [...groups.values()]
    .map((list) => {
      const first = list[0]!;
      const counted = list.filter((i) => i.start <= asOf);
      return {
        service: first.service,
        label: first.label,
        ...countDisruption(list, { from, asOf }),
        illustrative: counted.some((i) => i.illustrative),
      };
    })
    .sort((a, b) => serviceOrder(a.service, b.service) || (a.label ?? '').localeCompare(b.label ?? ''));
}

function intervalView(i: IntervalRow) {
  return {
    id: i.id,
    start: i.starts_on,
    end: i.ends_on,
    severity: i.severity === 'partial' ? ('partial' as const) : ('complete' as const),
    sourceId: i.source_id,
    note: i.note,
  };
}

function disruptionView(r: DisruptionRow, intervals: IntervalRow[], places: Map<string, string[]>): Disruption {
  return {
    id: r.id,
    service: r.service as Service,
    label: r.label,
    area: r.area,
    placeIds: places.get(r.id) ?? [],
    sourceId: r.source_id,
    note: r.note,
    illustrative: flag(r.illustrative),
    intervals: intervals.filter((i) => i.disruption_id === r.id).map(intervalView),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function observationOf(o: ObservationRow): Observation {
  return { asOf: o.as_of, kind: o.kind === 'daily' ? 'daily' : 'cumulative', value: Number(o.value) };
}

function observationView(o: ObservationRow): Indicator['observations'][number] {
  return { id: o.id, ...observationOf(o), sourceId: o.source_id, note: o.note, createdAt: o.created_at };
}

function indicatorView(r: IndicatorRow, observations: ObservationRow[]): Indicator {
  return {
    id: r.id,
    name: variants(r.names),
    unit: variants(r.unit),
    baselinePerDay: Number(r.baseline_per_day),
    baselineSourceId: r.baseline_source_id,
    baselinePeriod: r.baseline_period,
    illustrative: flag(r.illustrative),
    note: r.note,
    observations: observations.filter((o) => o.indicator_id === r.id).map(observationView),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function keyFigureView(r: KeyFigureRow): KeyFigure {
  return {
    id: r.id,
    label: variants(r.label),
    value: Number(r.value),
    unit: r.unit ? variants(r.unit) : null,
    asOf: r.as_of,
    sourceId: r.source_id,
    note: r.note,
    illustrative: flag(r.illustrative),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
