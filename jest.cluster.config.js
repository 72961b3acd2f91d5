/**
 * `make test-cluster`: the e2e tests against scripts/cluster.sh (PostgreSQL, the Temporal server,
 * Redis, two workers, one API). One file at a time: each test file runs a whole cluster.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/cluster'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120_000,
  maxWorkers: 1,
};
