// Bundles the extension (Node, CommonJS, vscode external), the stage graph
// webview script (browser) and the modules the unit tests import.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const common = { bundle: true, minify: production, sourcemap: !production, logLevel: 'warning' };

await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  }),
  esbuild.build({
    ...common,
    entryPoints: ['src/webview/graph.ts'],
    outfile: 'dist/graph.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  }),
  esbuild.build({
    ...common,
    minify: false,
    entryPoints: ['src/serverPath.ts', 'src/graphModel.ts', 'src/serverProcess.ts', 'src/settings.ts'],
    outdir: 'out',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    bundle: false,
  }),
]);
