import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import { fontPaths } from './fonts.js';

/**
 * PDF on the server with Typst: no browser. One compiler per process, given DejaVu from node_modules (typst also
 * scans system fonts; ours come first by family name, so the output is the same on a machine without them).
 */
let compiler: NodeCompiler | undefined;

/** A virtual workspace: the document reads nothing from disk, only the shadow files mapped under it. */
const WORKSPACE = '/corridor-typst';

function typst(): NodeCompiler {
  compiler ??= NodeCompiler.create({ workspace: WORKSPACE, fontArgs: [{ fontPaths: fontPaths() }] });
  return compiler;
}

export class TypstError extends Error {}

/**
 * Compiles a Typst document to PDF. `files` are the files the document reads (SVG figures), by path from the
 * document's root: `{ 'fig/map.svg': svg }` is read as `image("/fig/map.svg")`. Throws `TypstError` with typst's diagnostics when the markup does not compile.
 */
export function compilePdf(source: string, files: Record<string, string | Buffer> = {}): Buffer {
  const c = typst();
  c.resetShadow();
  for (const [p, content] of Object.entries(files))
    c.mapShadow(`${WORKSPACE}/${p.replace(/^\/+/, '')}`, Buffer.isBuffer(content) ? content : Buffer.from(content));
  const result = c.compile({ mainFileContent: source });
  const doc = result.result;
  if (!doc || result.hasError()) {
    const diagnostics = result.takeDiagnostics();
    const detail = diagnostics ? JSON.stringify(c.fetchDiagnostics(diagnostics)).slice(0, 2000) : 'unknown error';
    throw new TypstError(`typst could not compile the document: ${detail}`);
  }
  const pdf = c.pdf(doc, { pdfTags: false });
  // Memoised layouts of old documents would otherwise pile up in a long-running server.
  c.evictCache(10);
  return pdf;
}

const TYPST_SPECIAL = /[\\#$*_`<>@=\-+/[\]{}"'~^|:;.]/g;

/**
 * User text as Typst markup that prints exactly that text: every character Typst could read as markup is escaped
 * with a backslash, and line breaks become spaces (a paragraph is one block). Typst reads `\` + any of these as the
 * literal character.
 */
export function typstText(text: string): string {
  return (
    text
      .replace(/\r\n?|\n/g, ' ')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
      .replace(TYPST_SPECIAL, (c) => `\\${c}`)
  );
}

/** User text as a Typst string literal (for function arguments such as `link("…")` or metadata). */
export function typstString(text: string): string {
  return `"${text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r\n?|\n/g, ' ')}"`;
}
