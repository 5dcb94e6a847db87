/**
 * A readable API reference rendered on the server from the OpenAPI document. Hosted reference UIs load their
 * scripts from a CDN, which our CSP, offline deployments and 2G readers all rule out; this page needs no script.
 */
type Doc = {
  info: { title: string; version: string; description?: string };
  paths?: object;
};
type Operation = {
  summary?: string;
  description?: string;
  tags?: string[];
  'x-permission'?: string;
  parameters?: { name: string; in: string; required?: boolean; description?: string }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string }>;
};

const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

export function renderApiReference(doc: Doc): string {
  const ops: { method: string; path: string; op: Operation }[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {}) as [string, object | undefined][])
    for (const [method, op] of Object.entries(item ?? {}))
      if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) ops.push({ method, path, op: op as Operation });
  ops.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));

  const rows = ops
    .map(({ method, path, op }) => {
      const params = (op.parameters ?? [])
        .map(
          (p) =>
            `<li><code>${esc(p.name)}</code> (${esc(p.in)}${p.required ? ', required' : ''}) ${esc(p.description)}</li>`,
        )
        .join('');
      const body = op.requestBody?.content
        ? `<details><summary>Request body</summary><pre>${esc(JSON.stringify(Object.values(op.requestBody.content)[0]?.schema, null, 2))}</pre></details>`
        : '';
      const responses = Object.entries(op.responses ?? {})
        .map(([code, r]) => `<li><code>${esc(code)}</code> ${esc(r.description)}</li>`)
        .join('');
      const id = `${method}-${path}`.replace(/[^a-z0-9]+/gi, '-');
      return `<section id="${esc(id)}"><h2><span class="m">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h2>
<p>${esc(op.summary)}</p>${op.description ? `<p>${esc(op.description)}</p>` : ''}
<p>Permission: <code>${esc(op['x-permission'] ?? 'none (denied)')}</code></p>
${params ? `<h3>Parameters</h3><ul>${params}</ul>` : ''}${body}<h3>Responses</h3><ul>${responses}</ul></section>`;
    })
    .join('\n');

  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(doc.info.title)} reference</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;color:#1a1a1a}
section{border-top:1px solid #ccc;padding:.5rem 0}.m{display:inline-block;min-width:4.5rem;font-family:monospace}
pre{background:#f4f4f4;padding:.5rem;overflow:auto;font-size:.85rem}h2{font-size:1.1rem}</style></head>
<body><main><h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1><p>${esc(doc.info.description)}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>
<nav aria-label="Operations"><ul>${ops.map(({ method, path }) => `<li><a href="#${esc(`${method}-${path}`.replace(/[^a-z0-9]+/gi, '-'))}">${esc(method.toUpperCase())} ${esc(path)}</a></li>`).join('')}</ul></nav>
${rows}</main></body></html>`;
}
