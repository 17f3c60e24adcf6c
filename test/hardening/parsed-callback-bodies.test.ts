// Item 3 of issue 21: a body parser in front of paymount (the README says not to, but
// shops do) can leave things paymount cannot read: a JSON array, a bare string, a
// number, null. That is the sender's doing and gets a 4xx (`callback_invalid`), never a
// 5xx. Only a body really consumed with nothing left is `raw_body_unavailable`, and its
// fix is logged once at warn level, not on every retry.
import { testProvider } from '@paymount/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { errorCode, send, watchCrashes } from './support/http.js';
import { recordingLogger, startShop } from './support/shop.js';
import { FRAMEWORKS, type ShopSetup } from './support/shops.js';

const TOKEN = 'bodies-token';
const watch = watchCrashes();
afterAll(() => {
  watch.stop();
  expect(watch.crashes).toEqual([]);
});

/** JSON texts that are valid JSON but no object of fields. */
const NOT_FIELDS = ['[]', '[1,2]', '[{"status":"paid"}]', '"paid"', '42', '-1.5e3', 'null', 'true', 'false'];
const PARSERS: ReadonlyArray<NonNullable<ShopSetup['parser']>> = ['json', 'loose-json', 'text'];

for (const framework of FRAMEWORKS) {
  describe(`${framework.name}: callback bodies a parser in front made unusable`, () => {
    for (const parser of PARSERS) {
      it(`behind the ${parser} parser: every JSON value that is not an object is a 4xx, nothing moves`, async () => {
        const logger = recordingLogger();
        const shop = await startShop({
          framework,
          setup: { parser },
          providers: { test: testProvider({ token: TOKEN }) },
          logger,
        });
        try {
          const res = await send(shop.url, 'GET', '/pay/checkout/bodies-1?format=json');
          const { paymentId } = JSON.parse(res.text) as { paymentId: string };
          for (const body of NOT_FIELDS) {
            for (const type of ['application/json', 'text/plain']) {
              const reply = await send(shop.url, 'POST', '/pay/callback/test', {
                headers: { 'content-type': type, 'x-test-token': TOKEN },
                body,
              });
              const label = `${type} ${body} → ${reply.status} ${reply.text.slice(0, 80)}`;
              expect(reply.status, label).toBeGreaterThanOrEqual(400);
              expect(reply.status, label).toBeLessThan(500);
              // Either the shop's own parser refused it, or paymount did, with its stable code.
              const code = errorCode(reply);
              if (code !== null) expect(code, label).toBe('callback_invalid');
            }
          }
          expect((await shop.payments.get(paymentId))?.status).toBe('pending');
          expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
        } finally {
          await shop.close();
        }
      });
    }

    it('behind express.json() / koa-bodyparser, a posted JSON array is callback_invalid; a checkout reads it as no form', async () => {
      const shop = await startShop({
        framework,
        setup: { parser: 'json' },
        providers: { test: testProvider({ token: TOKEN }) },
      });
      try {
        const callback = await send(shop.url, 'POST', '/pay/callback/test', {
          headers: { 'content-type': 'application/json', 'x-test-token': TOKEN },
          body: '[1,2,3]',
        });
        expect(callback.status).toBe(400);
        expect(errorCode(callback)).toBe('callback_invalid');
        const checkout = await send(shop.url, 'POST', '/pay/checkout/bodies-2', {
          headers: { 'content-type': 'application/json' },
          body: '["test"]',
        });
        // No `provider` field in it: the only provider is used, exactly as when paymount reads the bytes itself.
        expect(checkout.status).toBe(303);
        expect(await shop.payments.findByOrder('bodies-2')).toHaveLength(1);
      } finally {
        await shop.close();
      }
    });

    it('a body consumed with nothing left is raw_body_unavailable; the fix is logged once, at warn', async () => {
      const logger = recordingLogger();
      const shop = await startShop({
        framework,
        setup: { swallowBody: true },
        providers: { test: testProvider({ token: TOKEN }) },
        logger,
      });
      try {
        for (let retry = 0; retry < 3; retry++) {
          const reply = await send(shop.url, 'POST', '/pay/callback/test', {
            headers: { 'content-type': 'application/json', 'x-test-token': TOKEN },
            body: '{"paymentId":"pm_x","status":"paid"}',
          });
          expect(reply.status).toBe(500);
          expect(errorCode(reply)).toBe('raw_body_unavailable');
          expect(reply.text).toContain('mount paymount before any body parser');
        }
        const about = logger.lines.filter((l) => l.message.includes('mount paymount before any body parser'));
        expect(about).toEqual([
          { level: 'warn', message: expect.stringContaining('consumed a callback body') },
        ]);
        expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
      } finally {
        await shop.close();
      }
    });
  });
}
