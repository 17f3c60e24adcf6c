import { memoryStore } from '@paymount/core';
import { storeConformance } from './support/store-conformance.js';

storeConformance('memory', { make: async () => memoryStore() });
