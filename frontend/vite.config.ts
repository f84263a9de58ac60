/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './vite-compress';

/** Unit tests that type or read date-times; they run under a second browser zone too. */
const TIME_SENSITIVE_TESTS = [
  'src/lib/**/*.test.{ts,tsx}',
  'src/features/selection/workbench.test.ts',
  'src/features/selection/edits.test.tsx',
  'src/features/settlement/contracts.test.tsx',
  'src/features/reconciliation/reconciliation.test.tsx',
];

const backend = process.env.SHUXUAN_BACKEND ?? 'http://127.0.0.1:8000';

export default defineConfig({
  base: '/',
  plugins: [react(), precompress()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Pages load per route (src/app/lazyPage.tsx); no chunk should approach the 600 KB route budget.
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/admin': { target: backend, changeOrigin: false },
      '/static': { target: backend, changeOrigin: false },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    // antd tables render slowly in jsdom on a busy 2-core machine.
    testTimeout: 30_000,
    // Every date-time is Asia/Shanghai whatever the browser's zone: the whole suite runs with the
    // browser on UTC, and the tests that type or read date-times run again on US Pacific time.
    projects: [
      { extends: true, test: { name: 'tz-utc', env: { TZ: 'UTC' } } },
      {
        extends: true,
        test: {
          name: 'tz-los-angeles',
          env: { TZ: 'America/Los_Angeles' },
          include: TIME_SENSITIVE_TESTS,
        },
      },
    ],
  },
});
