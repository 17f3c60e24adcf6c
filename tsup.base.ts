import { defineConfig, type Options } from 'tsup';

/**
 * The one build every package shares: ESM and CJS with type declarations, shared
 * chunks (so a class is one class across a package's entries), Node 20 target.
 */
export function packageBuild(entries: readonly string[]): Options | Options[] {
  return defineConfig({
    entry: entries.map((name) => `src/${name}.ts`),
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    splitting: true,
    sourcemap: true,
    target: 'node20',
    tsconfig: 'tsconfig.build.json',
  }) as Options | Options[];
}
