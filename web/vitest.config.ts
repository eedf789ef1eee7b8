// Vitest (`npm run test:unit`): the component, i18n and client unit tests beside the code
// (src/**/*.test.ts[x]), in jsdom, with the app's own Vite configuration (React plugin).
import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config';

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      environment: 'jsdom',
      include: ['src/**/*.test.{ts,tsx}'],
      restoreMocks: true,
      unstubGlobals: true,
    },
  }),
);
