/**
 * Finds and rewrites the addresses in server-rendered HTML and in CSS. Not a general HTML parser: SvelteKit's output
 * is well formed, so a tag scanner that knows comments, raw-text elements (script, style) and quoted attributes is
 * enough, and it changes nothing but the address values it is asked to.
 */

export type RefKind = 'link' | 'resource' | 'form' | 'meta';

export interface Ref {
  /** The address as written in the document (entities decoded). */
  value: string;
  /** link: a navigation (a, area); resource: something the page loads; form: a form's action; meta: a share URL. */
  kind: RefKind;
  tag: string;
  attr: string;
  /** The element's attributes (lower-case names, decoded values): a form's method, a link's rel. */
  attrs: ReadonlyMap<string, string>;
}

/** The new value (raw, not yet escaped), `null` to remove the attribute, `undefined` to leave it alone. */
export type RefVisitor = (ref: Ref) => string | null | undefined;

const ENTITIES: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

export function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}

/** Comments; script and style with their content; any other start tag with its attributes. */
const TOKEN =
  /<!--[\s\S]*?-->|<(script|style)\b((?:[^>"']|"[^"]*"|'[^']*')*)>([\s\S]*?)<\/\1\s*>|<([a-zA-Z][a-zA-Z0-9:-]*)((?:\s(?:[^>"']|"[^"]*"|'[^']*')*)?)>/g;
const ATTRIBUTE = /(\s*)([^\s"'>/=]+)(?:(\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** Meta properties whose content is an address a share preview fetches or shows. */
const META_URLS = new Set(['og:image', 'og:image:url', 'og:image:secure_url', 'og:url', 'twitter:image']);
/** data-* values that are addresses of this site (a map's GeoJSON, a lazy image): root-relative only. */
const DATA_ADDRESS = /^\/(?:[a-z]{2}(?:[/?#]|$)|_app\/|api\/public\/)/;

function kindOf(tag: string, attr: string, attrs: Map<string, string>): RefKind | null {
  switch (attr) {
    case 'href':
    case 'xlink:href':
      if (tag === 'a' || tag === 'area') return 'link';
      if (tag === 'link') {
        const rel = (attrs.get('rel') ?? '').toLowerCase().split(/\s+/);
        // Page relations (canonical, alternate languages) are navigations; the rest (stylesheet, icon) load.
        return rel.includes('canonical') || rel.includes('alternate') ? 'link' : 'resource';
      }
      if (tag === 'base') return null;
      return 'resource'; // SVG <use>, <image>
    case 'src':
    case 'srcset':
    case 'poster':
      return 'resource';
    case 'imagesrcset':
      return tag === 'link' ? 'resource' : null;
    case 'data':
      return tag === 'object' ? 'resource' : null;
    case 'action':
    case 'formaction':
      return 'form';
    case 'content': {
      if (tag !== 'meta') return null;
      const property = (attrs.get('property') ?? attrs.get('name') ?? '').toLowerCase();
      return META_URLS.has(property) ? 'meta' : null;
    }
    default:
      if (attr.startsWith('data-') && DATA_ADDRESS.test(attrs.get(attr) ?? '')) return 'resource';
      return null;
  }
}

/** `a.webp 400w, b.webp 800w` → its addresses with their descriptors. */
function splitSrcset(value: string): { url: string; descriptor: string }[] {
  return value
    .split(/,(?=\s|$)|,(?=[^\s,]+\s+\d)/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [url = '', ...rest] = part.split(/\s+/);
      return { url, descriptor: rest.join(' ') };
    });
}

function rewriteAttributes(tag: string, source: string, visit: RefVisitor, inlineCss: (css: string) => string): string {
  const attrs = new Map<string, string>();
  for (const m of source.matchAll(ATTRIBUTE))
    attrs.set(m[2]!.toLowerCase(), decodeEntities(m[4] ?? m[5] ?? m[6] ?? ''));
  const name = tag.toLowerCase();
  return source.replace(ATTRIBUTE, (whole, space: string, rawName: string, eq: string | undefined) => {
    if (eq === undefined) return whole;
    const attr = rawName.toLowerCase();
    const value = attrs.get(attr) ?? '';
    if (attr === 'style') {
      const css = inlineCss(value);
      return css === value ? whole : `${space}${rawName}="${escapeAttribute(css)}"`;
    }
    const kind = kindOf(name, attr, attrs);
    if (!kind) return whole;
    if (attr === 'srcset' || attr === 'imagesrcset') {
      let changed = false;
      const parts: string[] = [];
      for (const { url, descriptor } of splitSrcset(value)) {
        const next = visit({ value: url, kind, tag: name, attr, attrs });
        if (next === undefined) parts.push(descriptor ? `${url} ${descriptor}` : url);
        else {
          changed = true;
          if (next !== null) parts.push(descriptor ? `${next} ${descriptor}` : next);
        }
      }
      if (!changed) return whole;
      return parts.length ? `${space}${rawName}="${escapeAttribute(parts.join(', '))}"` : '';
    }
    const next = visit({ value, kind, tag: name, attr, attrs });
    if (next === undefined) return whole;
    if (next === null) return '';
    return `${space}${rawName}="${escapeAttribute(next)}"`;
  });
}

/**
 * Every address in the HTML through `visit`; the document comes back with the values it changed. With `dropScripts`,
 * script elements other than data blocks (JSON-LD) are left out, inline or not.
 */
export function rewriteHtml(
  html: string,
  visit: RefVisitor,
  opts: { dropScripts?: boolean; jsonLd?: (json: string) => string } = {},
): string {
  const none = new Map<string, string>();
  const css = (text: string) =>
    rewriteCss(text, (value) => visit({ value, kind: 'resource', tag: 'style', attr: 'url', attrs: none }));
  return html.replace(
    TOKEN,
    (
      whole,
      raw: string | undefined,
      rawAttrs: string | undefined,
      body: string | undefined,
      tag: string | undefined,
      attrs: string | undefined,
    ) => {
      if (raw !== undefined) {
        if (opts.dropScripts && raw.toLowerCase() === 'script' && isCode(rawAttrs ?? '')) return '';
        const open = rewriteAttributes(raw, rawAttrs ?? '', visit, css);
        let content = raw.toLowerCase() === 'style' ? css(body ?? '') : (body ?? '');
        if (opts.jsonLd && /type\s*=\s*["']?application\/ld\+json/i.test(rawAttrs ?? ''))
          content = opts.jsonLd(content);
        return `<${raw}${open}>${content}</${raw}>`;
      }
      if (tag !== undefined) return `<${tag}${rewriteAttributes(tag, attrs ?? '', visit, css)}>`;
      return whole;
    },
  );
}

/** A script element whose type runs as code (not JSON-LD or another data block). */
function isCode(rawAttrs: string): boolean {
  const type = /(?:^|\s)type\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(rawAttrs);
  const value = (type?.[1] ?? type?.[2] ?? type?.[3] ?? '').trim().toLowerCase();
  return value === '' || value === 'module' || /javascript|ecmascript/.test(value);
}

/** The addresses of an HTML document, without changing it. */
export function findHtmlRefs(html: string): Ref[] {
  const refs: Ref[] = [];
  rewriteHtml(html, (ref) => {
    refs.push(ref);
    return undefined;
  });
  return refs;
}

const CSS_URL = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')/g;

/** url(…) and @import "…" of a style sheet through `visit`; a `null` answer leaves an empty url(). */
export function rewriteCss(css: string, visit: (value: string) => string | null | undefined): string {
  return css.replace(CSS_URL, (whole, d1?: string, s1?: string, b1?: string, d2?: string, s2?: string) => {
    const value = d1 ?? s1 ?? b1 ?? d2 ?? s2 ?? '';
    if (!value || value.startsWith('data:') || value.startsWith('#')) return whole;
    const next = visit(value);
    if (next === undefined) return whole;
    const quoted = JSON.stringify(next ?? '');
    return whole.startsWith('@import') ? `@import ${quoted}` : `url(${quoted})`;
  });
}

export function findCssRefs(css: string): string[] {
  const refs: string[] = [];
  rewriteCss(css, (value) => {
    refs.push(value);
    return undefined;
  });
  return refs;
}

/**
 * The addresses in a JSON-LD block (any string value that is one) through `visit`; the block is written back with
 * every `<` escaped, as the site writes it, so that it cannot end its script element.
 */
export function rewriteJsonLd(json: string, visit: (value: string) => string | undefined): string {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return json;
  }
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return /^(?:https?:\/\/|\/)/.test(v) ? (visit(v) ?? v) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return JSON.stringify(walk(data)).replace(/</g, '\\u003c');
}
