import { describeConsole } from './support/console-flows.js';

describeConsole('express');
