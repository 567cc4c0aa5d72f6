/**
 * Browser tests of the dashboard: playwright-core drives Debian's /usr/bin/chromium against the real
 * product started as `npm start` starts it (tools/start.mjs), on a free port and a temporary data dir.
 */
module.exports = {
  displayName: 'dashboard-e2e',
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.e2e.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs'],
  // starting the product may build it first (Nx cache makes later runs fast)
  testTimeout: 240_000,
  maxWorkers: 1,
};
