// `npx tsx bench/duty-floor.ts`: what a paying AAIO callback's duties cost when written by
// hand (servers/hand-duties.ts), next to paymount's engine doing them, in one process, the
// two alternating in batches of 2 000 (CPU per callback, medians of the batches), onPaid
// delivered in rounds of 50. The engine cannot go below the hand-written duties; how far
// above it sits is the room there is. `npm run bench` measures the same floor over HTTP.
import { benchEngine, cpuPerCall, median, notificationBodies, sendNotification } from './engine-fixture.js';
import { HOOK_ROUND, handDuties } from './servers/hand-duties.js';

const CALLBACKS = 60_000;
const BATCH = 2_000;

const duties = handDuties(CALLBACKS);
const engine = await benchEngine(CALLBACKS);
const bodies = notificationBodies(CALLBACKS);
const floor: number[] = [];
const paymount: number[] = [];
for (let start = 0; start < CALLBACKS; start += BATCH) {
  const byHand = () =>
    cpuPerCall(start, start + BATCH, async (i) => {
      if ((await duties.handle(bodies[i]!)) !== 'OK')
        throw new Error('duty-floor: the hand-written callback refused');
      if (i % HOOK_ROUND === HOOK_ROUND - 1) duties.deliver();
    });
  const byEngine = () =>
    cpuPerCall(start, start + BATCH, async (i) => {
      await sendNotification(engine, bodies[i]!);
      if (i % HOOK_ROUND === HOOK_ROUND - 1) await engine.deliverHooks();
    });
  // Alternating which goes first, so neither always meets the other's garbage.
  if ((start / BATCH) % 2 === 0) {
    floor.push(await byHand());
    paymount.push(await byEngine());
  } else {
    paymount.push(await byEngine());
    floor.push(await byHand());
  }
}
await engine.close();
const rounded = (us: number): number => Math.round(us * 10) / 10;
const result = { usByHand: rounded(median(floor)), usEngine: rounded(median(paymount)) };
process.stdout.write(
  `${JSON.stringify({ ...result, engineOverFloor: rounded(result.usEngine / result.usByHand) })}\n`,
);
