// The AAIO simulator in a process of its own, so it does not share a core with the server under test.
import { startAaioSimulator } from '@paymount/sandbox';
import { AAIO_SHOP } from './aaio-fixture.js';

const simulator = await startAaioSimulator({ ...AAIO_SHOP });
process.stdout.write(`${JSON.stringify({ url: simulator.url })}\n`);
process.on('SIGTERM', () => {
  void simulator.close().then(() => process.exit(0));
});
