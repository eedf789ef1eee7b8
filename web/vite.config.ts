import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The built files are served by `tandem serve --static-dir web/dist` under a strict
// Content-Security-Policy (script-src 'self'; style-src 'self'): no inline script or style may
// end up in dist/index.html. Vite's modulepreload polyfill is an inline script, so it is off.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2020',
  },
  server: {
    // `npm run dev` against a running `tandem serve` on 127.0.0.1:8080.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
