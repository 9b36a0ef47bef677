import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const dbFloor = 'db/ never imports lib/: move the code that needs lib/ up into lib/.';

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: ['.next/**', '.next-*/**', 'node_modules/**', '.data/**', 'db/migrations/**', 'next-env.d.ts', 'test-results/**', 'playwright-report/**'],
  },
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The DAL is the only door to the database (scripts, seeds and tests aside; lib/env.ts only
    // validates the database settings with the rest; lib/jobs/boss.ts hands the queue its connection).
    files: ['app/**', 'components/**', 'lib/**'],
    ignores: ['lib/dal/**', 'lib/server/**', 'lib/auth/**', 'lib/seed/**', 'lib/cli/**', 'lib/env.ts', 'lib/jobs/boss.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@/db', '@/db/*'], message: 'Read and write through lib/dal.' }] },
      ],
    },
  },
  {
    // Links to workspace pages never prefetch (components/layout/workspace-link.tsx). The same
    // rule's options as the block above, plus next/link: a later block replaces a rule's options.
    files: ['app/(app)/**', 'components/**'],
    ignores: [
      'components/auth/**',
      'components/layout/workspace-link.tsx',
      'components/dashboards/cached-section.tsx',
      '**/*.test.ts',
      '**/*.test.tsx',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'next/link',
              message: 'Link to workspace pages with WorkspaceLink (components/layout/workspace-link.tsx): no prefetch.',
            },
          ],
          patterns: [{ group: ['@/db', '@/db/*'], message: 'Read and write through lib/dal.' }],
        },
      ],
    },
  },
  {
    // Floors point down: db/ is the bottom (driver, schema, migrations) and never reaches into lib/.
    files: ['db/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // `@/lib...` and relative paths climbing into lib/ (`../lib`, `../../lib/...`).
              regex: '^(@/|(\\.\\./)+)lib(/|$)',
              message: dbFloor,
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportExpression[source.value=/^(@\\/|(\\.\\.\\/)+)lib(\\/|$)/]',
          message: dbFloor,
        },
      ],
    },
  },
  {
    // One authorization vocabulary: roles are compared only inside lib/authz (can(), roles.ts).
    files: ['app/**', 'components/**', 'lib/**', 'proxy.ts'],
    ignores: ['lib/authz/**', '**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "BinaryExpression[operator=/^[!=]==?$/] > Literal[value=/^(owner|admin|member)$/]",
          message: 'Do not compare role strings outside lib/authz: ask can(ctx, permission) or use lib/authz/roles.',
        },
        {
          selector: "SwitchCase > Literal.test[value=/^(owner|admin|member)$/]",
          message: 'Do not switch on role strings outside lib/authz: ask can(ctx, permission) or use lib/authz/roles.',
        },
      ],
    },
  },
];

export default config;
