/**
 * The preload: exposes `window.cunban` (core's CunbanBridge) and nothing else — never `ipcRenderer`, never
 * an event object. Bundled into one CommonJS file (a sandboxed preload cannot load other files).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { CUNBAN_VERSION } from '../core/version.js';
import { bridgeOf } from './bridge.js';

contextBridge.exposeInMainWorld(
  'cunban',
  bridgeOf((channel, argument) => ipcRenderer.invoke(channel, argument), CUNBAN_VERSION),
);
