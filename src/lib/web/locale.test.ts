import { describe, expect, it } from 'vitest';
import { localeFromAcceptLanguage, localizePath, preferredLocale, safeRedirectPath, splitLocale } from './locale';

describe('locale routing helpers', () => {
  it('splits the locale prefix off a path', () => {
    expect(splitLocale('/fr/workspace/users')).toEqual({ locale: 'fr', path: '/workspace/users' });
    expect(splitLocale('/hy')).toEqual({ locale: 'hy', path: '/' });
    expect(splitLocale('/workspace')).toEqual({ locale: undefined, path: '/workspace' });
    expect(splitLocale('/de/x')).toEqual({ locale: undefined, path: '/de/x' });
    expect(splitLocale('/')).toEqual({ locale: undefined, path: '/' });
  });

  it('prefixes every locale, the base one included, without a trailing slash', () => {
    expect(localizePath('/', 'en')).toBe('/en');
    expect(localizePath('/workspace', 'ru')).toBe('/ru/workspace');
  });

  it('negotiates Accept-Language by q-value and base tag', () => {
    expect(localeFromAcceptLanguage('de-DE,de;q=0.9,fr-CA;q=0.8,en;q=0.7')).toBe('fr');
    expect(localeFromAcceptLanguage('en;q=0.2, hy-AM')).toBe('hy');
    expect(localeFromAcceptLanguage('ru;q=0, en;q=0.1')).toBe('en');
    expect(localeFromAcceptLanguage('de, *')).toBeUndefined();
    expect(localeFromAcceptLanguage(null)).toBeUndefined();
  });

  it('prefers the remembered cookie, then the header, then English', () => {
    expect(preferredLocale('hy', 'fr')).toBe('hy');
    expect(preferredLocale('xx', 'fr')).toBe('fr');
    expect(preferredLocale(undefined, 'de')).toBe('en');
  });

  it('accepts only local paths as redirect targets', () => {
    const fallback = '/en/workspace';
    expect(safeRedirectPath('/fr/workspace/account?x=1', fallback)).toBe('/fr/workspace/account?x=1');
    for (const bad of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      '/\tevil',
      'javascript:alert(1)',
      '',
      null,
      '/en/sign-in?redirectTo=/x',
    ])
      expect(safeRedirectPath(bad, fallback)).toBe(fallback);
  });
});
