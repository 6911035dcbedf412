import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const uiLibraries = [
  'electron',
  'electron/*',
  'react',
  'react/*',
  'react-dom',
  'react-dom/*',
  'zustand',
  'zustand/*',
  '@xyflow/*',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // core/ runs in Node (CLI, utility process, web host): never UI or Electron code.
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: uiLibraries, message: 'core/ never imports electron or UI libraries' },
            { group: ['**/renderer/**', '**/electron/**'], message: 'core/ never imports renderer/ or electron/' },
          ],
        },
      ],
    },
  },
  {
    // core/model is shared with the renderer: platform-neutral only.
    files: ['core/model/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: uiLibraries, message: 'core/model is platform-neutral' },
            {
              group: ['node:*', 'fs', 'path', 'os', 'better-sqlite3'],
              message: 'core/model is platform-neutral (the renderer imports it)',
            },
            {
              group: ['../engine/**', '../connectors/**', '../store/**', '../cli/**', '../secrets/**', '../mapping/**'],
              message: 'core/model depends on nothing else in core',
            },
          ],
        },
      ],
    },
  },
  {
    // Benchmarks and e2e specs run code inside the page (page.evaluate) as well as in Node.
    files: ['scripts/bench-editor.mjs', 'e2e/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    // The renderer talks to the engine only through the contract in core/model.
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/core/*', '!**/core/model', '**/core/*/**', '!**/core/model/**'],
              message: 'renderer/ imports only core/model',
            },
            { group: ['electron', 'node:*'], message: 'renderer/ runs sandboxed: no Node or Electron APIs' },
          ],
        },
      ],
    },
  },
);
