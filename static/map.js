// @ts-check
/**
 * The public map, interactive: loaded by the map page only (never by another page), after the server-rendered page
 * is complete without it, and MapLibre itself only when the reader opens the interactive map. It draws the same data with MapLibre GL, all from this server: the library as an ES module
 * with its module worker from the same directory (CSP: script-src and worker-src 'self', no eval, no blob: worker),
 * the offline Natural Earth base map, the disruption areas, and the clusters of the viewport, asked for again after
 * each move. No glyphs are needed: the style has no text layers, and a click opens a popup built as DOM.
 * When the browser cannot draw WebGL, or anything fails, the static map stays and a message says why.
 */

const API = '/api/public/map';
const EMPTY = { type: 'FeatureCollection', features: [] };
const GREY = '#5c5c5c';

const root = document.getElementById('map-live');
const status = document.getElementById('map-status');

/** @param {string | undefined} text */
function say(text) {
  if (status) status.textContent = text ?? '';
}

function canDrawWebGL() {
  try {
    const canvas = document.createElement('canvas');
    return Boolean(canvas.getContext('webgl2') ?? canvas.getContext('webgl'));
  } catch {
    return false;
  }
}

/**
 * MapLibre hands nested properties back as JSON text.
 * @param {unknown} v
 * @returns {any}
 */
function parsed(v) {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/**
 * @param {string} tag
 * @param {Record<string, string>} [attrs]
 * @param {(Node | string)[]} [children]
 */
function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** @param {HTMLElement} live */
async function start(live) {
  const d = live.dataset;
  say(d.msgLoading);
  const css = el('link', { rel: 'stylesheet', href: d.css ?? '' });
  document.head.append(css);
  /** @type {any} */
  const ml = await import(/* @vite-ignore */ d.lib ?? '');
  ml.setWorkerUrl(new URL((d.lib ?? '').replace(/maplibre-gl\.mjs$/, 'maplibre-gl-worker.mjs'), location.href).href);

  const lang = d.lang ?? 'en';
  const category = d.category ?? '';
  const layers = new Set((d.layers ?? '').split(',').filter(Boolean));
  /** @type {Record<string, string>} */
  const colors = JSON.parse(d.colors ?? '{}');
  /** @type {Record<string, string>} */
  const names = JSON.parse(d.names ?? '{}');
  const pairs = Object.entries(colors).flat();
  const colour = pairs.length > 0 ? ['match', ['coalesce', ['get', 'top'], ''], ...pairs, GREY] : GREY;
  const [w, s, e, n] = (d.bounds ?? '').split(',').map(Number);
  const detail = (/** @type {string} */ level) => ['==', ['get', 'detail'], level];

  /** @type {any[]} */
  const styleLayers = [
    { id: 'sea', type: 'background', paint: { 'background-color': '#dfeaf2' } },
    { id: 'land', type: 'fill', source: 'base', filter: detail('low'), paint: { 'fill-color': '#f4f1ea' } },
    {
      id: 'land-detail',
      type: 'fill',
      source: 'base',
      minzoom: 4,
      filter: detail('high'),
      paint: { 'fill-color': '#f4f1ea' },
    },
    {
      id: 'borders',
      type: 'line',
      source: 'base',
      maxzoom: 4,
      filter: detail('low'),
      paint: { 'line-color': '#8c8c8c', 'line-width': 0.6 },
    },
    {
      id: 'borders-detail',
      type: 'line',
      source: 'base',
      minzoom: 4,
      filter: detail('high'),
      paint: { 'line-color': '#8c8c8c', 'line-width': 0.8 },
    },
  ];
  // Fetched here, not by MapLibre's worker: the worker runs under the API's own CSP (default-src 'none'), so it is
  // handed data, never a URL.
  const json = async (/** @type {string} */ url) => {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    return res.json();
  };
  const [base, disruptions] = await Promise.all([
    json(d.base ?? ''),
    layers.has('disruptions') ? json(`${API}/disruptions?lang=${lang}`) : EMPTY,
  ]);
  /** @type {Record<string, any>} */
  const sources = {
    base: { type: 'geojson', data: base, attribution: 'Natural Earth' },
    records: { type: 'geojson', data: EMPTY },
    places: { type: 'geojson', data: EMPTY },
    disruptions: { type: 'geojson', data: disruptions },
  };
  if (d.tiles) {
    sources.tiles = { type: 'raster', tiles: [location.origin + d.tiles], tileSize: 256 };
    styleLayers.push({ id: 'tiles', type: 'raster', source: 'tiles', paint: { 'raster-opacity': 0.9 } });
  }
  styleLayers.push(
    {
      id: 'disruption-areas',
      type: 'fill',
      source: 'disruptions',
      filter: ['!=', ['geometry-type'], 'Point'],
      paint: { 'fill-color': '#e8a33d', 'fill-opacity': 0.35, 'fill-outline-color': '#8a5a00' },
    },
    {
      id: 'disruption-points',
      type: 'circle',
      source: 'disruptions',
      filter: ['==', ['geometry-type'], 'Point'],
      paint: {
        'circle-radius': 14,
        'circle-color': '#e8a33d',
        'circle-opacity': 0.35,
        'circle-stroke-color': '#8a5a00',
        'circle-stroke-width': 1.2,
      },
    },
    {
      id: 'places',
      type: 'circle',
      source: 'places',
      paint: { 'circle-radius': 3.5, 'circle-color': GREY, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 },
    },
    {
      id: 'records',
      type: 'circle',
      source: 'records',
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'count']], 1, 6, 10, 16, 100, 28],
        'circle-color': colour,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': ['case', ['==', ['get', 'kind'], 'cluster'], 3, 1.5],
      },
    },
  );

  live.hidden = false;
  const map = new ml.Map({
    container: live,
    style: { version: 8, sources, layers: styleLayers },
    bounds: [
      [w, s],
      [e, n],
    ],
    maxZoom: 18,
    attributionControl: { compact: true },
    cooperativeGestures: false,
  });
  map.addControl(new ml.NavigationControl({ showCompass: false }));

  /** @type {AbortController | undefined} */
  let pending;
  const refresh = async () => {
    pending?.abort();
    const mine = new AbortController();
    pending = mine;
    const b = map.getBounds();
    const wide = b.getEast() - b.getWest() >= 360;
    const clamp = (/** @type {number} */ v, /** @type {number} */ lo, /** @type {number} */ hi) =>
      Math.min(hi, Math.max(lo, v));
    const box = wide
      ? [-180, -85, 180, 85]
      : [
          ((((b.getWest() + 180) % 360) + 360) % 360) - 180,
          clamp(b.getSouth(), -85, 85),
          ((((b.getEast() + 180) % 360) + 360) % 360) - 180,
          clamp(b.getNorth(), -85, 85),
        ];
    const zoom = Math.max(0, Math.round(map.getZoom()));
    const ask = async (/** @type {string} */ layer) => {
      const q = new URLSearchParams({ layer, bbox: box.map((x) => x.toFixed(5)).join(','), zoom: String(zoom), lang });
      if (category && layer === 'records') q.set('category', category);
      const res = await fetch(`${API}/points?${q}`, { signal: mine.signal });
      if (!res.ok) throw new Error(`points: ${res.status}`);
      return res.json();
    };
    try {
      if (layers.has('records')) map.getSource('records').setData(await ask('records'));
      if (layers.has('places')) map.getSource('places').setData(await ask('places'));
    } catch (err) {
      if (!mine.signal.aborted) console.warn('map data', err);
    }
  };

  const recordsHref = d.recordsHref ?? '/records';
  /** @param {any} f @param {any} lngLat */
  const popup = (f, lngLat) => {
    const p = Object.fromEntries(Object.entries(f.properties).map(([k, v]) => [k, parsed(v)]));
    /** @type {(Node | string)[]} */
    const body = [];
    if (p.kind === 'place' && p.name) {
      const title = el('strong', p.name.fallback ? {} : { lang: p.name.lang }, [p.name.text]);
      body.push(title);
    }
    if (typeof p.count === 'number' && f.layer.id === 'records')
      body.push(el('p', {}, [`${d.msgRecords}: ${p.count.toLocaleString(lang)}`]));
    if (p.kind === 'cluster') {
      body.push(el('p', {}, [`${d.msgPlaces}: ${Number(p.places).toLocaleString(lang)}`]));
      const zoomIn = el('button', { type: 'button' }, [d.msgZoom ?? '+']);
      // Two levels closer splits most clusters; the next answer shows what is inside.
      zoomIn.addEventListener('click', () => map.easeTo({ center: lngLat, zoom: Math.min(map.getZoom() + 2, 18) }));
      body.push(zoomIn);
    }
    const cats = p.categories && typeof p.categories === 'object' ? Object.entries(p.categories) : [];
    if (cats.length > 0)
      body.push(
        el(
          'ul',
          {},
          cats.map(([code, count]) => el('li', {}, [`${names[code] ?? code}: ${Number(count).toLocaleString(lang)}`])),
        ),
      );
    if (p.kind === 'place' && p.record)
      body.push(
        el('p', {}, [
          el('a', { href: `${recordsHref}/${p.record.id}` }, [
            el('span', { lang: p.record.title.lang }, [p.record.title.text]),
          ]),
        ]),
      );
    else if (p.kind === 'place' && p.count > 0)
      body.push(
        el('p', {}, [el('a', { href: `${recordsHref}?place=${encodeURIComponent(p.id)}` }, [d.msgOpen ?? ''])]),
      );
    new ml.Popup({ closeButton: true, maxWidth: '18rem' })
      .setLngLat(lngLat)
      .setDOMContent(el('div', {}, body))
      .addTo(map);
  };
  for (const id of ['records', 'places']) {
    map.on('click', id, (/** @type {any} */ ev) => ev.features?.[0] && popup(ev.features[0], ev.lngLat));
    map.on('mouseenter', id, () => (map.getCanvas().style.cursor = 'pointer'));
    map.on('mouseleave', id, () => (map.getCanvas().style.cursor = ''));
  }

  map.on('moveend', () => void refresh());
  map.once('load', () => {
    void refresh();
    // The interactive map takes the static one's place; the lists below stay.
    document.getElementById('map-static')?.setAttribute('hidden', '');
    live.dataset.ready = 'true';
    say('');
    map.getCanvas().focus();
  });
  map.on('error', (/** @type {any} */ ev) => console.warn('map:', String(ev?.error?.message ?? ev?.error ?? ev)));
}

/**
 * MapLibre is fetched when the reader asks for it, not with the page: the static map is already complete, and on a
 * slow link a few hundred kilobytes of script is the reader's choice to make.
 */
const open = document.getElementById('map-open');
if (root && open) {
  if (!canDrawWebGL()) {
    open.remove();
    say(root.dataset.msgNoWebgl);
  } else {
    open.removeAttribute('data-pending');
    open.addEventListener(
      'click',
      () => {
        open.hidden = true;
        start(root).catch((err) => {
          console.warn('map', err);
          root.hidden = true;
          document.getElementById('map-static')?.removeAttribute('hidden');
          say(root.dataset.msgFailed);
        });
      },
      { once: true },
    );
  }
}
