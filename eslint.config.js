import js from '@eslint/js';
import prettier from 'eslint-config-prettier/flat';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';
import layering from './eslint-rules/layering.js';

/**
 * Who may import whom (DESIGN.md). The compiler enforces the same with one tsconfig per part. Every part
 * names the packages it may use: a new dependency of a part is a decision made here, in review.
 */
const parts = {
  core: { mayImport: ['core'], nodeBuiltins: false, allowPackages: ['zod', 'pinyin-pro', 'semver'] },
  renderer: {
    mayImport: ['renderer', 'core'],
    nodeBuiltins: false,
    allowPackages: ['react', 'react-dom', 'react-day-picker', 'rxdb', 'rxjs', 'recharts', 'qrcode', 'jsqr', '@noble/ciphers', 'p-limit', 'papaparse'],
  },
  electron: { mayImport: ['electron', 'core'], nodeBuiltins: true, allowPackages: ['electron', 'electron-updater', 'js-yaml', 'zod'] },
  'sync-server': {
    mayImport: ['sync-server', 'core'],
    nodeBuiltins: true,
    allowPackages: [
      'nano',
      'negotiator',
      'qrcode',
      'proxy-addr',
      'rate-limiter-flexible',
      'p-limit',
      'pino',
      'prom-client',
      'js-yaml',
      'semver',
      'ipaddr.js',
      // CSV: the open service figures.
      'papaparse',
      // The embedded store, in its own process (store/embedded-store-process.ts).
      'express-pouchdb',
      'pouchdb-core',
      'pouchdb-adapter-http',
      'pouchdb-adapter-leveldb',
      'pouchdb-mapreduce',
      'pouchdb-replication',
    ],
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', '.tsbuild/', 'dist/', 'coverage/', 'test-results/', 'test/compat/.releases/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { cunban: { rules: { layering } } },
    rules: {
      'cunban/layering': ['error', { parts }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // No import circles: a module and the modules it imports form a tree (screens import their parts, not
    // the root that imports them). Imports name the compiled `.js` of a `.ts` source, as NodeNext asks.
    files: ['core/**/*.ts', 'renderer/**/*.{ts,tsx}', 'electron/**/*.ts', 'sync-server/**/*.ts', 'scripts/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/resolver-next': [createNodeResolver({ extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } })],
    },
    rules: { 'import-x/no-cycle': 'error' },
  },
  {
    // core/ is deterministic: the clock and randomness are passed in, never read.
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'core/ takes the time as a parameter.' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'core/ takes the time as a parameter.' },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'core/ takes ids and randomness as parameters.' },
      ],
    },
  },
  {
    // The Electron security checklist, as lint: one window factory, no unsafe webPreferences, no way out.
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='BrowserWindow'], NewExpression[callee.property.name='BrowserWindow']",
          message: 'Kiosk windows come from createKioskWindow (window-factory.ts) only.',
        },
        {
          selector:
            'Property[key.name=/^(nodeIntegration|nodeIntegrationInWorker|nodeIntegrationInSubFrames|webviewTag|allowRunningInsecureContent|experimentalFeatures)$/][value.value=true]',
          message: 'Unsafe webPreferences: use secureWebPreferences().',
        },
        {
          selector: 'Property[key.name=/^(sandbox|contextIsolation|webSecurity)$/][value.value=false]',
          message: 'Unsafe webPreferences: use secureWebPreferences().',
        },
        { selector: "MemberExpression[property.name='openExternal']", message: 'A kiosk never opens external applications or pages.' },
        {
          selector: "CallExpression[callee.property.name='exposeInMainWorld'] Identifier[name='ipcRenderer']:not(MemberExpression > Identifier)",
          message: 'Expose named functions (bridgeOf), never ipcRenderer itself.',
        },
      ],
    },
  },
  {
    files: ['electron/window-factory.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { console: 'readonly', process: 'readonly' },
    },
  },
  // Formatting is Prettier's (`npm run lint` checks it): no lint rule argues with it.
  prettier,
);
