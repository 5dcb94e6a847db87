import { writeFile } from 'node:fs/promises';
import { EDITION_LANGS, type EditionLang } from '../../lib/server/reports/index.js';
import { optionalString, requireString, type Values } from '../command.js';
import { createContext, withPlatform } from '../context.js';
import { CliError, UsageError } from '../errors.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `report build --report ID --as-of YYYY-MM-DD --lang fr [--out FILE.pdf]`: builds a draft edition, as the web page
 * does (a preview, to publish on the page or through the API), with a progress bar on stderr. Prints the edition's id
 * and hashes on stdout; `--out` also writes its PDF.
 */
export async function reportBuild(values: Values): Promise<number> {
  const reportId = requireString(values, 'report');
  const asOf = requireString(values, 'as-of');
  const lang = requireString(values, 'lang');
  const out = optionalString(values, 'out');
  if (!DAY.test(asOf)) throw new UsageError(`--as-of: "${asOf}" is not a date (YYYY-MM-DD)`);
  if (!(EDITION_LANGS as readonly string[]).includes(lang))
    throw new UsageError(`--lang: "${lang}" is not one of ${EDITION_LANGS.join(', ')}`);
  const ctx = createContext();
  return withPlatform(ctx, async (p) => {
    const bar = new PercentBar('building');
    const edition = await p.reports
      .build(reportId, { asOf, lang: lang as EditionLang }, null, {
        wait: true,
        onProgress: (percent, stage) => bar.update(percent, stage),
      })
      .finally(() => bar.end());
    if (edition.status !== 'draft') throw new CliError(edition.failure ?? `the build ended ${edition.status}`);
    if (out) await writeFile(out, (await p.reports.pdf(edition.id, 'staff')).body);
    console.log(
      `draft edition ${edition.id}: ${edition.pages ?? '?'} pages, content sha256 ${edition.contentSha256}, ` +
        `pdf sha256 ${edition.pdfSha256}${out ? `, written to ${out}` : ''}`,
    );
    return 0;
  });
}

/** A percent bar on stderr: redrawn in place on a terminal, a line per step otherwise (logs, CI). */
class PercentBar {
  private readonly tty = process.stderr.isTTY === true;
  private last = -1;
  private drawn = false;

  constructor(private readonly label: string) {}

  update(percent: number, stage: string): void {
    if (percent === this.last) return;
    this.last = percent;
    const width = 30;
    const filled = Math.round((percent / 100) * width);
    const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}% ${stage}`;
    if (this.tty) process.stderr.write(`\r${line}\u001b[K`);
    else process.stderr.write(`${line}\n`);
    this.drawn = true;
  }

  end(): void {
    if (this.tty && this.drawn) process.stderr.write('\n');
    this.drawn = false;
  }
}
