/** Tests are TypeScript run through ts-jest; Temporal servers are shared per test file. */
module.exports = {
  testEnvironment: 'node',
  // clients/: the typed client's tests run against the real API too.
  roots: ['<rootDir>/test', '<rootDir>/clients'],
  testMatch: ['**/*.test.ts'],
  // test/cluster/ runs a whole cluster per file: `make test-cluster` (jest.cluster.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/cluster/'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  testTimeout: 60_000,
  // Temporal servers and workers are heavy: two files at a time fits two cores.
  maxWorkers: 2,
  setupFiles: ['<rootDir>/test/setup.ts'],
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
