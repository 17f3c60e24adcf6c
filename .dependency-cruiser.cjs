// The layers of packages/, checked by `npm run lint`:
// core depends on no other paymount package; providers, stores and adapters on core alone;
// the sandbox on no adapter; no package source on tests or examples; and no import cycles.
// Imports of @paymount/* resolve to the packages' TypeScript sources (the `@paymount/source`
// export condition), so a cycle through two packages is found as well as one inside a package.
// Inside core the folders are layers too (see the README's Architecture section): domain at
// the bottom, contracts and logging above it, then config, stores and providers, then the
// engine; http drives the payments port and never the engine, and node and fetch sit on http.

/** Packages that may import @paymount/core and nothing else from packages/. */
const coreOnly = '^packages/(aurpay|aaio|sqlite|postgres|express|koa|fastify|fetch|testing|console|cli)/';

/** A folder of core's source. */
const core = (folders) => `^packages/core/src/(${folders})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle makes load order matter and blurs which layer owns what: break it.',
      from: { path: '^packages/[^/]+/src/' },
      to: { circular: true },
    },
    {
      name: 'core-domain-is-the-bottom',
      severity: 'error',
      comment: 'Payment, money, state machine and errors are pure: they import nothing else of core.',
      from: { path: core('domain') },
      to: { path: '^packages/core/src/', pathNot: core('domain') },
    },
    {
      name: 'core-seams-stay-low',
      severity: 'error',
      comment: 'Contracts and logging describe seams; they know no config, engine, http or implementation.',
      from: { path: core('contracts|logging') },
      to: { path: core('config|engine|http|node|fetch|stores|providers') },
    },
    {
      name: 'core-telemetry-stays-low',
      comment: 'Telemetry is called from every layer (logging too), so it knows only domain and contracts.',
      severity: 'error',
      from: { path: core('telemetry') },
      to: { path: core('config|engine|http|node|stores|providers|logging') },
    },
    {
      name: 'core-parts-below-the-engine',
      severity: 'error',
      comment:
        'Config, stores and providers are used by the engine, never the other way round, and not by http.',
      from: { path: core('config|stores|providers') },
      to: { path: core('engine|http|node|fetch') },
    },
    {
      name: 'core-http-drives-the-port',
      severity: 'error',
      comment: 'The HTTP layer knows the payments port (contracts/), never the engine or its config.',
      from: { path: core('http|node|fetch') },
      to: { path: core('engine|config|stores|providers') },
    },
    {
      name: 'core-http-under-the-runtimes',
      severity: 'error',
      comment: 'node/ and fetch/ convert runtime requests for http/; http knows neither runtime.',
      from: { path: core('http') },
      to: { path: core('node|fetch') },
    },
    {
      name: 'core-fetch-is-web-standard',
      severity: 'error',
      comment: 'The Fetch conversion runs on Bun, Deno and edge runtimes: it shares nothing with node/.',
      from: { path: core('fetch') },
      to: { path: core('node') },
    },
    {
      name: 'core-fetch-needs-no-node-builtins',
      severity: 'error',
      comment: 'The Fetch conversion runs on Bun, Deno and edge runtimes: no Node.js built-in module.',
      from: { path: core('fetch') },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-engine-composes-http-once',
      severity: 'error',
      comment: 'Only the public Payments class builds the router; engine actions know no HTTP.',
      from: { path: core('engine'), pathNot: '^packages/core/src/engine/payments[.]ts$' },
      to: { path: core('http|node|fetch') },
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
      to: { path: ['^packages/(express|koa|fastify|fetch)/', '^@paymount/(express|koa|fastify|fetch)($|/)'] },
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
