import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from './preload-api.js';

/**
 * Runs sandboxed with context isolation: it may only `require('electron')`, so the build bundles it (with the
 * contract's method names) into one CommonJS file, dist/electron/preload.cjs.
 */
contextBridge.exposeInMainWorld('ferry', createPreloadApi(ipcRenderer));
