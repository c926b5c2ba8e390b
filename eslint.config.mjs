// Lint: typescript-eslint's recommended rules, plus bans on focused or skipped tests and on @ts-ignore.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const focusedOrSkipped = ['describe', 'it', 'test'].flatMap((fn) =>
  ['only', 'skip', 'todo'].map((property) => ({
    object: fn,
    property,
    message: `${fn}.${property} is not allowed: every test runs in CI.`,
  })),
);

export default tseslint.config(
  { ignores: ['node_modules/', '.serverless/', '.esbuild/', '.build/', 'dist/', 'coverage/', '.local/', '.scratch/', 'web/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/ban-ts-comment': [
        'error',
        { 'ts-ignore': true, 'ts-nocheck': true, 'ts-expect-error': 'allow-with-description' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', ...focusedOrSkipped],
      'no-restricted-globals': [
        'error',
        { name: 'fdescribe', message: 'Focused tests are not allowed.' },
        { name: 'fit', message: 'Focused tests are not allowed.' },
        { name: 'xit', message: 'Skipped tests are not allowed.' },
        { name: 'xdescribe', message: 'Skipped tests are not allowed.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
        AbortSignal: 'readonly',
        URL: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
