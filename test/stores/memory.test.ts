import { memoryStore } from '@paymount/core';
import { storeConformance } from '@paymount/testing';

storeConformance('memory', { make: async () => memoryStore() });
