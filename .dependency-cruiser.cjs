// The layers of packages/, checked by `npm run lint`:
// core depends on no other paymount package; providers, stores and adapters on core alone;
// the sandbox on no adapter; no package source on tests or examples; and no import cycles.
// Imports of @paymount/* resolve to the packages' TypeScript sources (the `@paymount/source`
// export condition), so a cycle through two packages is found as well as one inside a package.

/** The one cycle tolerated for now: engine.ts and routes.ts, removed by the core restructure. */
const knownCoreCycle = '^packages/core/src/(engine|routes)[.]ts$';

/** Packages that may import @paymount/core and nothing else from packages/. */
const coreOnly = '^packages/(aurpay|aaio|sqlite|postgres|express|koa)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle makes load order matter and blurs which layer owns what: break it.',
      from: { path: '^packages/[^/]+/src/' },
      // removed by the core restructure: drop this `via` (and known-core-cycle) with it
      to: { circular: true, via: { pathNot: knownCoreCycle } },
    },
    {
      name: 'known-core-cycle',
      severity: 'warn',
      comment: 'engine.ts <-> routes.ts, removed by the core restructure; then delete this rule.',
      from: { path: knownCoreCycle },
      to: { circular: true, viaOnly: { path: knownCoreCycle } },
    },
    {
      name: 'core-imports-no-paymount-package',
      severity: 'error',
      comment: 'core is the bottom layer: it knows no provider, store, adapter or sandbox.',
      from: { path: '^packages/core/' },
      to: { path: ['^packages/(?!core/)', '^@paymount/'] },
    },
    {
      name: 'core-only',
      severity: 'error',
      comment: 'Providers, stores and adapters import @paymount/core (or its subpaths), no other package.',
      from: { path: coreOnly },
      to: { path: ['^packages/', '^@paymount/'], pathNot: ['^packages/core/src/', '^packages/$1/'] },
    },
    {
      name: 'sandbox-imports-no-adapter',
      severity: 'error',
      comment: 'The simulators are plain node:http servers; a shop picks its framework, not the sandbox.',
      from: { path: '^packages/sandbox/' },
      to: { path: ['^packages/(express|koa)/', '^@paymount/(express|koa)($|/)'] },
    },
    {
      name: 'other-packages-by-name',
      severity: 'error',
      comment: 'Reach another package by its name and exports, never by a relative path into its files.',
      from: { path: '^packages/([^/]+)/' },
      to: { path: '^packages/', pathNot: '^packages/$1/', dependencyTypes: ['local'] },
    },
    {
      name: 'no-tests-or-examples-in-sources',
      severity: 'error',
      comment: 'Published code must not need the repository: no imports from tests, examples or benchmarks.',
      from: { path: '^packages/[^/]+/src/' },
      to: { path: ['^test/', '^examples/', '^bench/', '^packages/[^/]+/test/'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve is a dependency missing from package.json or a typo.',
      from: { path: '^packages/[^/]+/src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Follow the packages' sources only; what they import outside them is a leaf to check against.
    doNotFollow: { path: ['node_modules', '^(?!packages/[^/]+/src/)'] },
    exclude: { path: ['(^|/)dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      conditionNames: ['@paymount/source', 'import', 'require', 'node', 'default'],
      exportsFields: ['exports'],
      extensions: ['.ts', '.js', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
