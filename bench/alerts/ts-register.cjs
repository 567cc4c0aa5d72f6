// Lets the alerts benchmark import the API's TypeScript sources directly (ts-node, transpile only, and the
// `@seqpulse/*` path aliases of tsconfig.base.json), so it drives the real AlertEvaluator with its own clock.
const { join } = require('node:path');
const root = join(__dirname, '..', '..');
require('ts-node').register({ project: join(root, 'apps/api/tsconfig.spec.json'), transpileOnly: true });
const { compilerOptions } = require(join(root, 'tsconfig.base.json'));
require('tsconfig-paths').register({ baseUrl: root, paths: compilerOptions.paths });
require('reflect-metadata');
