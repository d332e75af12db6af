/** Unit, provider, policy and real-engine tests; real-engine ones are slow, hence the timeout. */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  testTimeout: 300000,
};
