/** Integration tests: real Postgres (embedded), real HTTP. Run with `nx run api:int-test`. */
module.exports = {
  displayName: 'api-int',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  globalSetup: '<rootDir>/test/pg-global-setup.mjs',
  globalTeardown: '<rootDir>/test/pg-global-teardown.mjs',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  testTimeout: 60_000,
  coverageDirectory: '../../coverage/apps/api-int',
};
