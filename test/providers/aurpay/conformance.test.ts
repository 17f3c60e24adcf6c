import { providerConformance } from '@paymount/testing';
import { harness } from './support.js';

providerConformance(harness('aurpay', {}, false));
providerConformance(harness('aurpay-coin', { coin: { chain: 'ETH', currency: 'USDT-ERC20' } }, true));
