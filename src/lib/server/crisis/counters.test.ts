import { describe, expect, it } from 'vitest';
import {
  addDays,
  countDisruption,
  dateOfEpochDay,
  dayNumber,
  dayOfInstant,
  daysIn,
  epochDay,
  isIsoDate,
  isTimeZone,
  localDate,
  localDateTime,
  observedAsOf,
  sayable,
  shortfall,
  shortfallText,
  unionOfRanges,
  wallTimeToInstant,
  type DayRange,
  type DisruptionInterval,
} from './counters.js';
import { seeded } from '../testing/random.js';

const YEREVAN = 'Asia/Yerevan';
// The seed crisis: 2022-12-12 10:30 at GMT+4.
const START = wallTimeToInstant('2022-12-12T10:30', YEREVAN);

describe('day counter', () => {
  it('reads the seed start as 06:30 UTC, and back as the same wall time', () => {
    expect(START.toISOString()).toBe('2022-12-12T06:30:00.000Z');
    expect(localDateTime(START, YEREVAN)).toBe('2022-12-12T10:30');
    expect(wallTimeToInstant('2022-12-12T10:30:15.250', YEREVAN).toISOString()).toBe('2022-12-12T06:30:15.000Z');
  });

  it('gives the seed documents’ numbers: 2023-01-30 is day 50 and 2023-03-21 is day 100; the start date is day 1', () => {
    const start = localDate(START, YEREVAN);
    expect(dayNumber(start, '2022-12-12')).toBe(1);
    expect(dayNumber(start, '2022-12-13')).toBe(2);
    expect(dayNumber(start, '2023-01-30')).toBe(50);
    expect(dayNumber(start, '2023-03-21')).toBe(100);
    expect(dayNumber(start, '2022-12-11')).toBe(0);
  });

  it('turns the day at local midnight, not at UTC midnight', () => {
    // 23:59 in Yerevan on 2023-01-29 is 19:59 UTC: still day 49.
    expect(dayOfInstant(START, YEREVAN, '2023-01-29T19:59:59Z')).toBe(49);
    // One second later it is midnight in Yerevan, and day 50, while UTC is still on the 29th.
    expect(dayOfInstant(START, YEREVAN, '2023-01-29T20:00:00Z')).toBe(50);
    expect(localDate('2023-01-29T20:00:00Z', YEREVAN)).toBe('2023-01-30');
    expect(localDate('2023-01-29T19:59:59Z', YEREVAN)).toBe('2023-01-29');
    // Just before local midnight on the start date it is still day 1.
    expect(dayOfInstant(START, YEREVAN, '2022-12-12T19:59:00Z')).toBe(1);
    expect(dayOfInstant(START, YEREVAN, '2022-12-12T20:00:00Z')).toBe(2);
  });

  it('counts in the crisis zone whatever the start instant’s UTC date', () => {
    // 01:30 local on 2022-12-12 is 21:30 UTC on the 11th: the start date is still the 12th.
    const early = wallTimeToInstant('2022-12-12T01:30', YEREVAN);
    expect(early.toISOString()).toBe('2022-12-11T21:30:00.000Z');
    expect(dayOfInstant(early, YEREVAN, '2023-03-21T12:00:00Z')).toBe(100);
    // The same instant in UTC would start a day earlier.
    expect(dayOfInstant(early, 'UTC', '2023-03-21T12:00:00Z')).toBe(101);
  });

  it('handles daylight saving: skipped wall times go after the jump, repeated ones take the first', () => {
    // Paris skipped 02:00–03:00 on 2023-03-26 and repeated 02:00–03:00 on 2023-10-29.
    expect(wallTimeToInstant('2023-03-26T02:30', 'Europe/Paris').toISOString()).toBe('2023-03-26T01:30:00.000Z');
    expect(wallTimeToInstant('2023-10-29T02:30', 'Europe/Paris').toISOString()).toBe('2023-10-29T00:30:00.000Z');
    expect(wallTimeToInstant('2023-07-01T12:00', 'Europe/Paris').toISOString()).toBe('2023-07-01T10:00:00.000Z');
    const paris = wallTimeToInstant('2023-03-25T10:00', 'Europe/Paris');
    expect(dayOfInstant(paris, 'Europe/Paris', '2023-03-26T21:59:59Z')).toBe(2);
    expect(dayOfInstant(paris, 'Europe/Paris', '2023-03-26T22:00:00Z')).toBe(3);
  });

  it('knows real zones and dates', () => {
    expect(isTimeZone(YEREVAN)).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(isIsoDate('2023-02-28')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-2-1')).toBe(false);
    expect(addDays('2022-12-31', 1)).toBe('2023-01-01');
    expect(dateOfEpochDay(epochDay('2023-03-21'))).toBe('2023-03-21');
  });
});

function randomRanges(next: () => number, n: number): DayRange[] {
  return Array.from({ length: n }, () => {
    const start = Math.floor(next() * 60);
    return { start, end: start + Math.floor(next() * 15) - 2 };
  });
}

/** The reference: mark every day in a set. */
function naiveDays(ranges: DayRange[]): Set<number> {
  const days = new Set<number>();
  for (const r of ranges) for (let d = r.start; d <= r.end; d++) days.add(d);
  return days;
}

describe('union of intervals (properties over 500 random sets)', () => {
  const cases = Array.from({ length: 500 }, (_, i) => {
    const next = seeded(i + 1);
    return randomRanges(next, Math.floor(next() * 8));
  });

  it('counts exactly the days covered, each once', () => {
    for (const ranges of cases) expect(daysIn(ranges)).toBe(naiveDays(ranges).size);
  });

  it('gives sorted, disjoint, non-touching ranges covering the same days', () => {
    for (const ranges of cases) {
      const union = unionOfRanges(ranges);
      for (let i = 1; i < union.length; i++) expect(union[i]!.start).toBeGreaterThan(union[i - 1]!.end + 1);
      expect(naiveDays(union)).toEqual(naiveDays(ranges));
    }
  });

  it('does not depend on the order of the intervals, and is idempotent', () => {
    for (const ranges of cases) {
      const reversed = [...ranges].reverse();
      expect(unionOfRanges(reversed)).toEqual(unionOfRanges(ranges));
      expect(unionOfRanges(unionOfRanges(ranges))).toEqual(unionOfRanges(ranges));
      expect(daysIn([...ranges, ...ranges])).toBe(daysIn(ranges));
    }
  });

  it('never counts more than the sum of the lengths, nor fewer than the longest', () => {
    for (const ranges of cases) {
      const lengths = ranges.map((r) => Math.max(0, r.end - r.start + 1));
      expect(daysIn(ranges)).toBeLessThanOrEqual(lengths.reduce((a, b) => a + b, 0));
      expect(daysIn(ranges)).toBeGreaterThanOrEqual(Math.max(0, ...lengths));
    }
  });
});

describe('disruption counts', () => {
  const window = { from: '2022-12-12', asOf: '2023-01-30' };
  const i = (start: string, end: string | null, severity: DisruptionInterval['severity'] = 'complete') => ({
    start,
    end,
    severity,
  });

  it('counts inclusive calendar days, overlapping intervals once', () => {
    const c = countDisruption([i('2023-01-13', '2023-01-15'), i('2023-01-14', '2023-01-20')], window);
    expect(c).toMatchObject({ completeDays: 8, partialDays: 0, anyDays: 8, ongoing: false, currentCutDays: null });
    expect(countDisruption([i('2023-01-13', '2023-01-13')], window).anyDays).toBe(1);
  });

  it('shows complete and partial apart, then together: a day with both counts as complete', () => {
    const c = countDisruption(
      [
        i('2023-01-01', '2023-01-10', 'partial'),
        i('2023-01-08', '2023-01-12', 'complete'),
        i('2023-01-20', '2023-01-21', 'partial'),
      ],
      window,
    );
    expect(c.completeDays).toBe(5);
    expect(c.partialDays).toBe(7 + 2);
    expect(c.anyDays).toBe(12 + 2);
    expect(c.completeDays + c.partialDays).toBe(c.anyDays);
  });

  it('runs an ongoing cut to the as-of date and measures the current cut, joining touching entries', () => {
    const c = countDisruption([i('2023-01-13', '2023-01-20', 'complete'), i('2023-01-21', null, 'partial')], window);
    expect(c).toMatchObject({
      completeDays: 8,
      partialDays: 10,
      anyDays: 18,
      ongoing: true,
      currentCutDays: 18,
      currentCutSince: '2023-01-13',
    });
  });

  it('clips to the crisis start and the as-of date, and ignores what starts later', () => {
    const c = countDisruption([i('2022-12-01', '2022-12-13'), i('2023-02-01', null)], window);
    expect(c).toMatchObject({ completeDays: 2, anyDays: 2, ongoing: false });
    const earlier = countDisruption([i('2023-01-13', null)], { ...window, asOf: '2023-01-12' });
    expect(earlier).toMatchObject({ anyDays: 0, ongoing: false, currentCutDays: null });
    const onLastDay = countDisruption([i('2023-01-13', '2023-01-30')], window);
    expect(onLastDay).toMatchObject({ ongoing: true, currentCutDays: 18 });
  });

  it('agrees with day-by-day counting on random intervals', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const next = seeded(seed);
      const intervals = Array.from({ length: 1 + Math.floor(next() * 6) }, () => {
        const s = addDays('2022-12-05', Math.floor(next() * 60));
        const open = next() < 0.2;
        return i(s, open ? null : addDays(s, Math.floor(next() * 12)), next() < 0.5 ? 'complete' : 'partial');
      });
      const c = countDisruption(intervals, window);
      let complete = 0;
      let partial = 0;
      for (let d = epochDay(window.from); d <= epochDay(window.asOf); d++) {
        const on = intervals.filter((x) => epochDay(x.start) <= d && (x.end === null || epochDay(x.end) >= d));
        if (on.some((x) => x.severity === 'complete')) complete++;
        else if (on.length) partial++;
      }
      expect([c.completeDays, c.partialDays, c.anyDays]).toEqual([complete, partial, complete + partial]);
    }
  });
});

describe('indicators', () => {
  it('computes the issue’s example: 1,000 a day, day 30, 600 observed → 30,000 expected, 50 times fewer, 2 %', () => {
    const f = shortfall(1000, 30, 600);
    expect(f).toEqual({ day: 30, expected: 30_000, observed: 600, ratio: 50, percentOfNormal: 2 });
    expect(shortfallText(f, 'en')).toBe('50 times fewer');
    expect(shortfallText(f, 'fr')).toBe('50 fois moins');
    expect(shortfallText(f, 'hy')).toBe('50 անգամ պակաս');
    expect(shortfallText(f, 'ru')).toBe('в 50 раз меньше');
  });

  it('rounds sensibly and says "about" when it rounded', () => {
    const f = shortfall(1000, 30, 640); // 46.875
    expect(f.ratio).toBe(46.88);
    expect(shortfallText(f, 'en')).toBe('about 47 times fewer');
    expect(shortfallText(f, 'ru')).toBe('примерно в 47 раз меньше');
    expect(shortfallText(shortfall(1000, 100, 4), 'en')).toBe('25,000 times fewer');
    expect(shortfallText(shortfall(1000, 100, 3), 'fr')).toBe('environ 33\u202f000 fois moins');
    expect(shortfallText(shortfall(100, 10, 400), 'en')).toBe('2.5 times fewer');
    expect(shortfallText(shortfall(100, 10, 400), 'ru')).toBe('в 2,5 раза меньше');
    expect(shortfallText(shortfall(100, 10, 330), 'ru')).toBe('примерно в 3 раза меньше');
    expect(shortfallText(shortfall(100, 10, 700), 'en')).toBe('30% below normal');
    expect(shortfallText(shortfall(100, 10, 1000), 'en')).toBe('about normal');
    expect(shortfallText(shortfall(100, 10, 1300), 'en')).toBe('30% above normal');
    expect(shortfallText(shortfall(100, 10, 3000), 'en')).toBe('3 times more');
    expect(sayable(123)).toBe(120);
    expect(sayable(1234)).toBe(1200);
    expect(sayable(9.96)).toBe(10);
  });

  it('says "none observed" for zero and never gives Infinity or NaN', () => {
    const zero = shortfall(1000, 30, 0);
    expect(zero).toEqual({ day: 30, expected: 30_000, observed: 0, ratio: null, percentOfNormal: 0 });
    expect(shortfallText(zero, 'en')).toBe('none observed');
    expect(shortfallText(zero, 'hy')).toBe('ոչինչ չի դիտարկվել');
    const nothing = shortfall(1000, 30, null);
    expect(nothing).toEqual({ day: 30, expected: 30_000, observed: null, ratio: null, percentOfNormal: null });
    expect(shortfallText(nothing, 'en')).toBe('no observation yet');
    for (const f of [zero, nothing]) expect(JSON.stringify(f)).not.toMatch(/Infinity|NaN/);
  });

  it('takes the latest cumulative total at or before the date, adding the daily values after it', () => {
    const obs = [
      { asOf: '2023-01-10', kind: 'cumulative' as const, value: 100 },
      { asOf: '2023-01-05', kind: 'daily' as const, value: 7 },
      { asOf: '2023-01-11', kind: 'daily' as const, value: 5 },
      { asOf: '2023-01-12', kind: 'daily' as const, value: 6 },
      { asOf: '2023-01-20', kind: 'cumulative' as const, value: 150 },
    ];
    expect(observedAsOf(obs, '2023-01-04')).toBeNull();
    expect(observedAsOf(obs, '2023-01-05')).toBe(7);
    expect(observedAsOf(obs, '2023-01-10')).toBe(100);
    expect(observedAsOf(obs, '2023-01-12')).toBe(111);
    expect(observedAsOf(obs, '2023-01-19')).toBe(111);
    expect(observedAsOf(obs, '2023-01-25')).toBe(150);
    const daily = [1, 2, 3].map((v, k) => ({ asOf: addDays('2023-01-01', k), kind: 'daily' as const, value: v }));
    expect(observedAsOf(daily, '2023-02-01')).toBe(6);
  });
});
