/**
 * Builds the kiosk's screens into dist/kiosk: served by the hub at /kiosk/ in browser mode and
 * loaded from app:// by the Electron shell. Relative asset paths work under both.
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export const KIOSK_OUT_DIR = fileURLToPath(new URL('../dist/kiosk', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('../renderer/kiosk', import.meta.url)),
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: { outDir: KIOSK_OUT_DIR, emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 2000 },
});
