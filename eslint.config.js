import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'resources/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Layering (see STYLE.md): core and the CLI never import electron; only the shell does.
    files: ['src-main/core/**/*.ts', 'src-main/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'src-main/core must run in plain Node: only src-main/shell may import electron.' },
            { name: 'electron-store', message: 'Use the Preferences interface; electron-store belongs to the shell.' },
          ],
        },
      ],
    },
  },
  {
    // A compatible surface maps its shapes onto the service and the contract. This block's no-restricted-imports replaces
    // the one above for these files, so it repeats the electron paths.
    files: ['src-main/core/http/surfaces/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'src-main/core must run in plain Node: only src-main/shell may import electron.' },
            { name: 'electron-store', message: 'Use the Preferences interface; electron-store belongs to the shell.' },
          ],
          patterns: [
            {
              group: ['**/store/**', '**/vault/**'],
              message: 'A compatible surface only translates: call the service or the contract, never the store or the vault.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src-main/**', 'node:*', 'electron'],
              message: 'The renderer talks to the backend only through DeskClient; import the contract via @contract.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'test/**/*.mjs'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
