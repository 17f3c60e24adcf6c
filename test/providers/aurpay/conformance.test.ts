import { providerConformance } from '@paymount/testing';
import { harness } from './support.js';

// pay-url: the order list search finds a payment whose only callback was lost.
providerConformance(harness('aurpay', {}, true));
// Without that search, such a payment waits for its callback, as documented.
providerConformance(harness('aurpay-no-search', { lostOrderSearch: false }, false));
providerConformance(harness('aurpay-coin', { coin: { chain: 'ETH', currency: 'USDT-ERC20' } }, true));
