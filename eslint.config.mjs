// Lint: typescript-eslint's recommended rules on all TypeScript, a few
// type-aware rules where they are cheap (the Lambda handlers, where an
// unawaited promise loses work after the response), and the layer rules that
// keep dependencies pointing inward.
import tseslint from 'typescript-eslint';

/** Imports of another layer, written as relative paths from anywhere in the tree. */
const layer = (name) => [`../${name}/*`, `../../${name}/*`, `../../../${name}/*`, `../../../../${name}/*`, `../${name}`, `../../${name}`, `../../../${name}`];

const forbid = (names, why) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: names.flatMap(layer), message: why }] }],
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'cdk.out/', '.aios/', 'coverage/', '**/*.js', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      // `const { a: _a, ...rest } = x` drops a field on purpose; `_` marks it.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // ESLint's own core checks that still matter under TypeScript (its recommended set is a separate package).
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-async-promise-executor': 'error',
      'no-case-declarations': 'error',
      'no-compare-neg-zero': 'error',
      'no-cond-assign': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
      'no-debugger': 'error',
      'no-dupe-else-if': 'error',
      'no-duplicate-case': 'error',
      'no-empty': ['error', { allowEmptyCatch: true }],
      'no-fallthrough': 'error',
      'no-self-assign': 'error',
      'no-self-compare': 'error',
      'no-sparse-arrays': 'error',
      'no-unsafe-finally': 'error',
      'no-unused-labels': 'error',
      'no-useless-catch': 'error',
      'no-var': 'error',
      'prefer-const': 'error',
      'use-isnan': 'error',
      'valid-typeof': 'error',
    },
  },
  {
    files: ['functions/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error', '@typescript-eslint/await-thenable': 'error' },
  },
  {
    files: ['shared/**/*.ts'],
    rules: forbid(['functions', 'infra', 'local', 'cli', 'os'], 'shared/ is the domain: it imports nothing from functions/, infra/, local/, cli/ or os/.'),
  },
  { files: ['functions/**/*.ts'], rules: forbid(['infra', 'local', 'cli'], 'functions/ are Lambda handlers: they import no infra/, local/ or cli/.') },
  { files: ['infra/**/*.ts'], rules: forbid(['local', 'cli'], 'infra/ is the CDK app: it imports no local/ or cli/.') },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
