// @ts-check
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import reactRefresh from 'eslint-plugin-react-refresh';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const here = path.dirname(fileURLToPath(import.meta.url));
const srcDir = path.join(here, 'src');

/**
 * Features stay independent: a file in src/features/X may not import src/features/Y, whether
 * through the '@/' alias or a relative path. Shared code lives in src/api, src/lib, src/i18n;
 * only src/app (router, layout) composes features.
 */
const featureBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'forbid imports between features (src/features/X -> src/features/Y)' },
    messages: {
      crossFeature:
        "Feature '{{from}}' may not import from feature '{{to}}'. Move shared code to src/api, src/lib or src/i18n.",
      intoApp:
        "Feature '{{from}}' may not import from src/app (the app composes features, not the reverse).",
    },
    schema: [],
  },
  /** @param {import('eslint').Rule.RuleContext} context */
  create(context) {
    const file = context.filename;
    const fromParts = path.relative(srcDir, file).split(path.sep);
    if (fromParts[0] !== 'features' || fromParts.length < 3) return {};
    const own = fromParts[1];
    /** @param {import('estree').Node} node @param {unknown} source */
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      let target;
      if (source.startsWith('@/')) target = path.join(srcDir, source.slice(2));
      else if (source.startsWith('.')) target = path.resolve(path.dirname(file), source);
      else return;
      const parts = path.relative(srcDir, target).split(path.sep);
      if (parts[0] === 'features' && parts[1] && parts[1] !== own) {
        context.report({ node, messageId: 'crossFeature', data: { from: own, to: parts[1] } });
      } else if (parts[0] === 'app') {
        context.report({ node, messageId: 'intoApp', data: { from: own } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'src/api/schema.d.ts', 'coverage'] },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {
      ecmaVersion: 2022,
      globals: { ...globals.browser },
    },
    plugins: {
      'react-hooks': reactHooks,
      'react-refresh': reactRefresh,
      shuxuan: { rules: { 'feature-boundaries': featureBoundaries } },
    },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-refresh/only-export-components': ['warn', { allowConstantExport: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'shuxuan/feature-boundaries': 'error',
    },
  },
  {
    files: ['*.config.{js,ts}', 'eslint.config.js'],
    languageOptions: { globals: { ...globals.node } },
  },
);
