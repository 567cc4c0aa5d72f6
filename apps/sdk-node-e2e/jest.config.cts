/**
 * The packed SDK end to end: `npm pack` of dist/libs/sdk-node installed into throw-away apps outside the
 * workspace, polled by the real SeqPulse collector on a real Postgres (the API's integration database set-up).
 */
module.exports = {
  displayName: 'sdk-node-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/../api/test/pg-global-setup.mjs',
  globalTeardown: '<rootDir>/../api/test/pg-global-teardown.mjs',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  testTimeout: 180_000,
};
