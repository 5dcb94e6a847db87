import { describe, expect, it } from 'vitest';
import { alternates, jsonLdScript } from './seo';

describe('seo', () => {
  it('escapes < in JSON-LD so a title cannot close the script block', () => {
    const html = jsonLdScript({ '@type': 'Report', name: 'a</script><script>alert(1)</script>' });
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(html).toContain('\\u003c/script>');
    const body = html.slice('<script type="application/ld+json">'.length, -'</script>'.length);
    expect(JSON.parse(body)).toMatchObject({
      '@context': 'https://schema.org',
      name: 'a</script><script>alert(1)</script>',
    });
  });

  it('lists the page in every language and an English x-default', () => {
    const links = alternates('https://example.org', '/records/abc');
    expect(links.map((l) => l.hreflang)).toEqual(['en', 'fr', 'hy', 'ru', 'x-default']);
    expect(links.find((l) => l.hreflang === 'hy')?.href).toBe('https://example.org/hy/records/abc');
    expect(alternates('https://example.org', '/').at(-1)?.href).toBe('https://example.org/en');
  });
});
