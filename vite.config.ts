import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is served by Electron's app protocol and by `ferry serve`: relative asset URLs work under both.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
});
