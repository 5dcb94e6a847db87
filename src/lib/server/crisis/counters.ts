/**
 * The crisis arithmetic, pure: calendar days in the crisis time zone, the day counter, the union of disruption
 * intervals, the indicator shortfall and its wording in the four working languages. No I/O and no clock: callers pass
 * "today". Zone conversions use the platform's `Intl` (full ICU ships with Node), so no date library is needed.
 *
 * Calendar dates are ISO `YYYY-MM-DD` strings. Internally a date is its epoch day (days since 1970-01-01), which
 * makes ranges plain integer arithmetic with no time zone or daylight-saving trap: the zone only matters when an
 * instant becomes a date.
 */

export const LANGS = ['en', 'fr', 'hy', 'ru'] as const;
export type Lang = (typeof LANGS)[number];

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?$/;

/** Whether the platform knows this IANA time zone name. */
export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall-clock fields of an instant in a zone. */
function wallParts(
  instant: Date,
  zone: string,
): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const p: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(instant))
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { y: p.year!, mo: p.month!, d: p.day!, h: p.hour! % 24, mi: p.minute!, s: p.second! };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The calendar date of an instant in a zone: `2022-12-11T20:30:00Z` in Asia/Yerevan (UTC+4) is `2022-12-12`. */
export function localDate(instant: Date | string, zone: string): string {
  const w = wallParts(new Date(instant), zone);
  return `${pad(w.y, 4)}-${pad(w.mo)}-${pad(w.d)}`;
}

/** The wall time of an instant in a zone, to the minute: `2022-12-12T10:30`. */
export function localDateTime(instant: Date | string, zone: string): string {
  const w = wallParts(new Date(instant), zone);
  return `${pad(w.y, 4)}-${pad(w.mo)}-${pad(w.d)}T${pad(w.h)}:${pad(w.mi)}`;
}

/** Milliseconds the zone is ahead of UTC at that instant. */
function offsetAt(instant: number, zone: string): number {
  const w = wallParts(new Date(instant), zone);
  return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall time (`YYYY-MM-DDTHH:mm[:ss]`, no offset) denotes in a zone. A wall time skipped by a
 * daylight-saving jump resolves to the instant after the jump; a repeated one to its first occurrence.
 */
export function wallTimeToInstant(wall: string, zone: string): Date {
  const m = WALL_TIME.exec(wall);
  if (!m) throw new RangeError(`not a wall time: ${wall}`);
  const guess = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  // The zone's offsets half a day either side cover any transition near this wall time.
  const candidates = [guess - offsetAt(guess - DAY_MS / 2, zone), guess - offsetAt(guess + DAY_MS / 2, zone)];
  const valid = candidates.filter((c) => c + offsetAt(c, zone) === guess).sort((a, b) => a - b);
  return new Date(valid[0] ?? candidates[0]!);
}

/** Days since 1970-01-01 of an ISO calendar date. */
export function epochDay(date: string): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not an ISO date: ${date}`);
  return Math.round(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!) / DAY_MS);
}

export function dateOfEpochDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, n: number): string {
  return dateOfEpochDay(epochDay(date) + n);
}

/** Whether a string is a real ISO calendar date (2023-02-30 is not). */
export function isIsoDate(date: string): boolean {
  return ISO_DATE.test(date) && dateOfEpochDay(epochDay(date)) === date;
}

/**
 * Day N of a crisis that started on `startDate` (its calendar date in the crisis zone), counted inclusively: the start
 * date is day 1. A date before the start gives 0 or less; callers refuse it.
 */
export function dayNumber(startDate: string, date: string): number {
  return epochDay(date) - epochDay(startDate) + 1;
}

/** The day number of an instant, in the crisis zone. */
export function dayOfInstant(startsAt: Date | string, zone: string, instant: Date | string): number {
  return dayNumber(localDate(startsAt, zone), localDate(instant, zone));
}

// ---------------------------------------------------------------------------------------------------------------
// Disruptions: the union of intervals

/** A closed range of epoch days, both ends included. */
export interface DayRange {
  start: number;
  end: number;
}

/**
 * The union of closed day ranges, as sorted disjoint ranges. Touching ranges merge too (3–5 and 6–9 are one run of
 * days 3–9): for counting days it makes no difference, and a cut that goes on from one entry to the next is one cut.
 */
export function unionOfRanges(ranges: readonly DayRange[]): DayRange[] {
  const sorted = ranges.filter((r) => r.end >= r.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: DayRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end + 1) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

export function daysIn(ranges: readonly DayRange[]): number {
  return unionOfRanges(ranges).reduce((n, r) => n + r.end - r.start + 1, 0);
}

export type Severity = 'complete' | 'partial';

/** An interval as entered: inclusive calendar dates in the crisis zone; no end means ongoing. */
export interface DisruptionInterval {
  start: string;
  end: string | null;
  severity: Severity;
}

export interface DisruptionCount {
  /** Calendar days with a complete cut. */
  completeDays: number;
  /** Calendar days with a partial cut and no complete one, so that complete + partial = any. */
  partialDays: number;
  /** Calendar days with any cut: the union of all intervals, each day counted once. */
  anyDays: number;
  /** Whether the service is cut on the as-of date. */
  ongoing: boolean;
  /** Length in days of the cut that includes the as-of date (any severity, touching entries joined); null if none. */
  currentCutDays: number | null;
  /** First day of that cut. */
  currentCutSince: string | null;
}

/**
 * Counts for one service as of a date: each interval is clipped to [crisis start, as-of] (an open one runs to the
 * as-of date), then the days of the unions are counted.
 */
export function countDisruption(
  intervals: readonly DisruptionInterval[],
  window: { from: string; asOf: string },
): DisruptionCount {
  const lo = epochDay(window.from);
  const hi = epochDay(window.asOf);
  const clip = (i: DisruptionInterval): DayRange => ({
    start: Math.max(lo, epochDay(i.start)),
    end: Math.min(hi, i.end === null ? hi : epochDay(i.end)),
  });
  const complete = intervals.filter((i) => i.severity === 'complete').map(clip);
  const all = unionOfRanges(intervals.map(clip));
  const completeDays = daysIn(complete);
  const anyDays = daysIn(all);
  const current = all.find((r) => r.start <= hi && r.end >= hi);
  return {
    completeDays,
    partialDays: anyDays - completeDays,
    anyDays,
    ongoing: current !== undefined,
    currentCutDays: current ? current.end - current.start + 1 : null,
    currentCutSince: current ? dateOfEpochDay(current.start) : null,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Indicators

export interface Observation {
  asOf: string;
  /** A cumulative total since the crisis began, or the count of that one day. */
  kind: 'cumulative' | 'daily';
  value: number;
}

/**
 * The observed total as of a date: the latest cumulative total at or before it, plus the daily values entered after
 * that total and up to the date (daily values on or before a cumulative total are taken to be part of it). With only
 * daily values, their sum. Null when nothing at all was observed by then, which is not the same as zero.
 */
export function observedAsOf(observations: readonly Observation[], asOf: string): number | null {
  const upTo = observations.filter((o) => o.asOf <= asOf);
  if (upTo.length === 0) return null;
  let base: Observation | undefined;
  for (const o of upTo)
    if (
      o.kind === 'cumulative' &&
      (base === undefined || o.asOf > base.asOf || (o.asOf === base.asOf && o.value > base.value))
    )
      base = o;
  const daily = upTo.filter((o) => o.kind === 'daily' && (base === undefined || o.asOf > base.asOf));
  return (base?.value ?? 0) + daily.reduce((s, o) => s + o.value, 0);
}

export interface ShortfallFigures {
  day: number;
  expected: number;
  observed: number | null;
  /** expected ÷ observed; null when nothing, or zero, was observed (never Infinity or NaN). */
  ratio: number | null;
  /** observed ÷ expected × 100; null when nothing was observed yet. */
  percentOfNormal: number | null;
}

const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** expected = baseline × days; ratio and percentage rounded to two decimals. `baselinePerDay` must be > 0. */
export function shortfall(baselinePerDay: number, day: number, observed: number | null): ShortfallFigures {
  const expected = round(baselinePerDay * day, 6);
  if (observed === null) return { day, expected, observed, ratio: null, percentOfNormal: null };
  return {
    day,
    expected,
    observed,
    ratio: observed > 0 ? round(expected / observed, 2) : null,
    percentOfNormal: expected > 0 ? round((observed / expected) * 100, 2) : null,
  };
}

/**
 * A figure rounded the way people say it: under 10 to one decimal (2.5), above to two significant digits (47, 120,
 * 25,000).
 */
export function sayable(x: number): number {
  if (x < 10) return round(x, 1);
  const magnitude = 10 ** (Math.floor(Math.log10(x)) - 1);
  return Math.round(x / magnitude) * magnitude;
}

/** Russian "раз" after a number: в 2 раза, в 5 раз, в 21 раз, в 2,5 раза. */
function ruTimes(n: number): string {
  if (!Number.isInteger(n)) return 'раза';
  const d = n % 10;
  const dd = n % 100;
  return d >= 2 && d <= 4 && (dd < 12 || dd > 14) ? 'раза' : 'раз';
}

const WORDS: Record<
  Lang,
  {
    noData: string;
    none: string;
    about: string;
    fewer: (n: string, about: boolean, raw: number) => string;
    more: (n: string, about: boolean, raw: number) => string;
    below: (p: string) => string;
    above: (p: string) => string;
    normal: string;
  }
> = {
  en: {
    noData: 'no observation yet',
    none: 'none observed',
    about: 'about ',
    fewer: (n, about) => `${about ? 'about ' : ''}${n} times fewer`,
    more: (n, about) => `${about ? 'about ' : ''}${n} times more`,
    below: (p) => `${p}% below normal`,
    above: (p) => `${p}% above normal`,
    normal: 'about normal',
  },
  fr: {
    noData: 'aucune observation pour l’instant',
    none: 'rien n’a été observé',
    about: 'environ ',
    fewer: (n, about) => `${about ? 'environ ' : ''}${n} fois moins`,
    more: (n, about) => `${about ? 'environ ' : ''}${n} fois plus`,
    below: (p) => `${p} % en dessous de la normale`,
    above: (p) => `${p} % au-dessus de la normale`,
    normal: 'à peu près normal',
  },
  hy: {
    noData: 'դիտարկում դեռ չկա',
    none: 'ոչինչ չի դիտարկվել',
    about: 'մոտ ',
    fewer: (n, about) => `${about ? 'մոտ ' : ''}${n} անգամ պակաս`,
    more: (n, about) => `${about ? 'մոտ ' : ''}${n} անգամ ավելի`,
    below: (p) => `նորմայից ${p}%-ով պակաս`,
    above: (p) => `նորմայից ${p}%-ով ավելի`,
    normal: 'մոտավորապես նորմալ',
  },
  ru: {
    noData: 'наблюдений пока нет',
    none: 'ничего не наблюдалось',
    about: 'примерно ',
    fewer: (n, about, raw) => `${about ? 'примерно ' : ''}в ${n} ${ruTimes(raw)} меньше`,
    more: (n, about, raw) => `${about ? 'примерно ' : ''}в ${n} ${ruTimes(raw)} больше`,
    below: (p) => `на ${p} % ниже нормы`,
    above: (p) => `на ${p} % выше нормы`,
    normal: 'примерно в норме',
  },
};

/** A number in the reader's language: 25,000 · 25 000 · 2,5. */
export function formatNumber(x: number, lang: Lang, maxFractionDigits = 1): string {
  return new Intl.NumberFormat(lang, { maximumFractionDigits: maxFractionDigits }).format(x);
}

/**
 * The shortfall in words: "about 47 times fewer" (exact ratios drop "about": "50 times fewer"), "30% below normal"
 * between ×1.05 and ×1.95, "about normal" within 5 %, the mirror images above normal, "none observed" for zero and
 * "no observation yet" when nothing was recorded.
 */
export function shortfallText(f: Pick<ShortfallFigures, 'expected' | 'observed'>, lang: Lang): string {
  const w = WORDS[lang];
  if (f.observed === null) return w.noData;
  if (f.observed <= 0) return w.none;
  const r = f.expected / f.observed;
  const times = (x: number, say: typeof w.fewer) => {
    const n = sayable(x);
    return say(formatNumber(n, lang), Math.abs(n - x) > 1e-9 * x, n);
  };
  const percent = (x: number) => formatNumber(Math.round(x), lang, 0);
  if (r >= 1.95) return times(r, w.fewer);
  if (r >= 1.05) return w.below(percent(100 - 100 / r));
  if (r > 1 / 1.05) return w.normal;
  if (1 / r >= 1.95) return times(1 / r, w.more);
  return w.above(percent(100 / r - 100));
}
