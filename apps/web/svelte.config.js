import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: {
    // Runes everywhere in this app; libraries keep their own mode.
    runes: ({ filename }) => (filename.split(/[/\\]/).includes('node_modules') ? undefined : true),
  },
  kit: {
    adapter: adapter({ out: 'build' }),
    csp: {
      // Hashes of the inline scripts rather than a nonce per response: a page is the same bytes for
      // every visitor it is shared with (the shared page cache), and a nonce must never be reused.
      mode: 'hash',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self'],
        // The one inline style SvelteKit writes: its route announcer for screen readers
        // (hash of that exact attribute value; app.css hides the element as well).
        'style-src-attr': ['unsafe-hashes', 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='],
        'img-src': ['self', 'data:'],
        'font-src': ['self'],
        // ws:/wss: for the live-update socket at /api/ws.
        'connect-src': ['self', 'ws:', 'wss:'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
        'base-uri': ['self'],
        'object-src': ['none'],
      },
    },
  },
};

export default config;
