import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build', precompress: true }),
    // Absolute asset URLs: the same page is served under /en/…, /fr/…, so relative ones would only add noise.
    paths: { relative: false },
    // Benchmarks import the server modules: type-check and lint them with the same strict settings.
    typescript: {
      config: (tsconfig) => ({ ...tsconfig, include: [...tsconfig.include, '../bench/**/*.ts'] }),
    },
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:'],
        'font-src': ['self'],
        'connect-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;
