// @paymount/core/testing — a provider a test drives by hand, for shops' and adapters' tests.
export { type TestProvider, testProvider } from './providers/test-provider.js';
