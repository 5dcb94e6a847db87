import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build', precompress: true }),
    // Absolute asset URLs: the same page is served under /en/…, /fr/…, so relative ones would only add noise.
    paths: { relative: false },
    // Public pages ship no SvelteKit JS, so SvelteKit's inline registration would never run there; the public
    // layout loads static/sw-register.js instead, and the workspace (online work, never cached) registers nothing.
    serviceWorker: { register: false },
    // Benchmarks import the server modules: type-check and lint them with the same strict settings.
    typescript: {
      config: (tsconfig) => ({ ...tsconfig, include: [...tsconfig.include, '../bench/**/*.ts'] }),
    },
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        // No inline <style> anywhere: SvelteKit's extracted CSS files only (it adds a nonce if it ever inlines one).
        'style-src': ['self'],
        'style-src-elem': ['self'],
        // Style attributes stay allowed, and only they: workspace pages draw computed geometry with them (redaction
        // boxes over an image, timeline bar widths), and Svelte renders those on the server, before any script could
        // set them through the CSSOM. An attribute cannot add selectors or load anything beyond img-src, so the
        // injection risks that 'unsafe-inline' in style-src-elem would open stay closed. Pages outside the workspace
        // use none, and src/hooks.server.ts narrows this to 'none' for them.
        'style-src-attr': ['unsafe-inline'],
        'img-src': ['self', 'data:'],
        'font-src': ['self'],
        'connect-src': ['self'],
        // The public map's MapLibre starts a module worker from this server (never a blob:), and nothing else does.
        'worker-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;
