import { describe, expect, it } from 'vitest';
import { project } from './map';

describe('project (equirectangular sketch map)', () => {
  it('has nothing to draw without coordinates', () => {
    expect(project([])).toBeNull();
    expect(project([{ id: 'a', label: 'A', geometry: null, centroid: null }])).toBeNull();
  });

  it('keeps west left of east and north above south, inside the viewBox', () => {
    const map = project([
      { id: 'goris', label: 'Goris', geometry: { type: 'Point', coordinates: [46.339, 39.511] } },
      { id: 'stepanakert', label: 'Stepanakert', centroid: { lat: 39.815, lon: 46.752 } },
    ])!;
    const [goris, stepanakert] = map.features;
    expect(goris!.x).toBeLessThan(stepanakert!.x);
    expect(stepanakert!.y).toBeLessThan(goris!.y);
    for (const f of map.features) {
      expect(f.x).toBeGreaterThan(0);
      expect(f.x).toBeLessThan(map.width);
      expect(f.y).toBeGreaterThan(0);
      expect(f.y).toBeLessThan(map.height);
    }
  });

  it('draws a polygon as a closed path, holes and all, and puts its dot at the centroid when known', () => {
    const ring = [
      [45.9, 39.2],
      [46.6, 39.2],
      [46.6, 39.9],
      [45.9, 39.9],
      [45.9, 39.2],
    ];
    const hole = [
      [46.1, 39.4],
      [46.2, 39.4],
      [46.2, 39.5],
      [46.1, 39.4],
    ];
    const map = project([
      {
        id: 'syunik',
        label: 'Syunik',
        geometry: { type: 'Polygon', coordinates: [ring, hole] },
        centroid: { lat: 39.55, lon: 46.25 },
      },
    ])!;
    const [f] = map.features;
    expect(f!.path?.match(/M/g)).toHaveLength(2);
    expect(f!.path?.match(/Z/g)).toHaveLength(2);
    expect(f!.x).toBeCloseTo(map.width / 2, 0);
  });

  it('gives a single point a window around it rather than a zero-sized one', () => {
    const map = project([{ id: 'p', label: 'P', geometry: { type: 'Point', coordinates: [46, 39] } }])!;
    expect(map.height).toBeGreaterThanOrEqual(120);
    expect(map.features[0]!.x).toBeCloseTo(map.width / 2, 0);
  });
});
