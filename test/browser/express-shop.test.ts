import { describeCheckoutFlows } from './support/checkout-flows.js';

describeCheckoutFlows('express');
