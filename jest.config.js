/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { diagnostics: false }],
  },
  // middy is ESM-only: let ts-jest transform it.
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  setupFiles: ['<rootDir>/test/setup/polyfills.ts', '<rootDir>/test/setup/example-definition.ts'],
  testTimeout: 30000,
};
