const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

// Same pattern as apps/api: one bundled dist/apps/demo-fleet/main.js, node_modules external,
// workspace libs (@seqpulse/contracts, @seqpulse/hmac) bundled in through the tsconfig paths.
module.exports = {
  output: {
    path: join(__dirname, '../../dist/apps/demo-fleet'),
    clean: true,
    ...(process.env.NODE_ENV !== 'production' && {
      devtoolModuleFilenameTemplate: '[absolute-resource-path]',
    }),
  },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      // The demo's SDK-instrumented service (a separate process, started by tools/start.mjs).
      additionalEntryPoints: [{ entryName: 'storefront', entryPath: './src/storefront/main.ts' }],
      tsConfig: './tsconfig.app.json',
      assets: ['./src/assets'],
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: true,
      sourceMap: true,
    }),
  ],
};
