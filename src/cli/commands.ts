import type { Command } from './command.js';

const ROLE_LIST = 'admin, documenter, reviewer, communicator, coordinator, journalist';

export const COMMANDS: Command[] = [
  {
    path: ['serve'],
    usage: 'serve [--demo]',
    summary: 'Start the web server (production build); --demo loads the demo data first',
    options: { demo: { type: 'boolean' } },
    load: async () => (await import('./commands/serve.js')).serve,
  },
  {
    path: ['migrate'],
    usage: 'migrate',
    summary: 'Apply pending database migrations and list them',
    options: {},
    load: async () => (await import('./commands/migrate.js')).migrate,
  },
  {
    path: ['demo'],
    usage: 'demo',
    summary: 'Load the demo accounts and content (safe to repeat: a second run changes nothing)',
    options: {},
    load: async () => (await import('./commands/demo.js')).demo,
  },
  {
    path: ['user', 'add'],
    usage: 'user add --email E --role R [--name N] --password-stdin',
    summary: `Create an account (role: ${ROLE_LIST}); the password is read from stdin`,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      'password-stdin': { type: 'boolean' },
    },
    load: async () => (await import('./commands/users.js')).userAdd,
  },
  {
    path: ['token', 'create'],
    usage: 'token create --email E --name N',
    summary: 'Create a personal API token; prints only the token, which is shown once',
    options: { email: { type: 'string' }, name: { type: 'string' } },
    load: async () => (await import('./commands/users.js')).tokenCreate,
  },
  {
    path: ['import', 'records'],
    usage: 'import records FILE --as EMAIL [--dry-run] [--valid-only]',
    summary:
      'Check a CSV file of records and import it as EMAIL (a reviewer or admin); --dry-run only checks, ' +
      '--valid-only leaves out the rows with errors (docs/import.md)',
    options: { as: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'valid-only': { type: 'boolean' } },
    positionals: ['FILE'],
    load: async () => (await import('./commands/import.js')).importRecords,
  },
  {
    path: ['export', 'records'],
    usage: 'export records --as EMAIL [--format csv|json|geojson] [--status S] [--tag T] [--place ID] [--right ID] …',
    summary: 'Write the records EMAIL may see (filtered as GET /api/records) to stdout as CSV, JSON or GeoJSON',
    options: {
      as: { type: 'string' },
      format: { type: 'string' },
      q: { type: 'string' },
      status: { type: 'string' },
      confidentiality: { type: 'string' },
      verification: { type: 'string' },
      right: { type: 'string' },
      place: { type: 'string' },
      tag: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
    },
    load: async () => (await import('./commands/import.js')).exportRecords,
  },
  {
    path: ['report', 'build'],
    usage: 'report build --report ID --as-of YYYY-MM-DD --lang en|fr|hy|ru [--out FILE.pdf]',
    summary:
      'Build a draft edition of a report as of a date in a language, with a progress bar on stderr; prints its id ' +
      'and hashes (publish it on the page or through the API); --out also writes its PDF',
    options: {
      report: { type: 'string' },
      'as-of': { type: 'string' },
      lang: { type: 'string' },
      out: { type: 'string' },
    },
    load: async () => (await import('./commands/report.js')).reportBuild,
  },
  {
    path: ['publish-static'],
    usage: 'publish-static DIR [--base-url URL] [--from URL]',
    summary:
      'Write the public portal, in every language, as static files for any static host (from the production ' +
      'build, or a running site with --from): pages, assets, public photos, report PDFs and GeoJSON; relative ' +
      'links, or absolute under --base-url',
    options: { 'base-url': { type: 'string' }, from: { type: 'string' } },
    positionals: ['DIR'],
    load: async () => (await import('./commands/publish-static.js')).publishStatic,
  },
  {
    path: ['search', 'rebuild'],
    usage: 'search rebuild',
    summary: 'Empty the full-text search index and fill it again from the records and sources tables',
    options: {},
    load: async () => (await import('./commands/search.js')).searchRebuild,
  },
  {
    path: ['keys', 'rotate'],
    usage: 'keys rotate',
    summary:
      'Re-wrap every protected identity with a new master key (key file), or with the first key in ' +
      'CORRIDOR_MASTER_KEY; the server can keep running',
    options: {},
    load: async () => (await import('./commands/keys.js')).keysRotate,
  },
  {
    path: ['keys', 'generate'],
    usage: 'keys generate',
    summary: 'Print a new master key for CORRIDOR_MASTER_KEY',
    options: {},
    load: async () => (await import('./commands/keys.js')).keysGenerate,
  },
  {
    path: ['evidence', 'export'],
    usage: 'evidence export --record ID --out FILE.zip',
    summary:
      'Write the evidence bundle of a record: the original files, a manifest of hashes and chain of custody, the ' +
      'audit-chain entries that cover them and the chain head',
    options: { record: { type: 'string' }, out: { type: 'string' } },
    load: async () => (await import('./commands/evidence.js')).evidenceExport,
  },
  {
    path: ['evidence', 'verify'],
    usage: 'evidence verify BUNDLE.zip',
    summary: 'Check an evidence bundle offline; exit 1 saying exactly what does not match',
    options: {},
    positionals: ['BUNDLE'],
    load: async () => (await import('./commands/evidence.js')).evidenceVerify,
  },
  {
    path: ['audit', 'verify'],
    usage: 'audit verify',
    summary: 'Walk the audit hash chain; exit 1 naming the first broken or missing link',
    options: {},
    load: async () => (await import('./commands/audit.js')).auditVerify,
  },
];
