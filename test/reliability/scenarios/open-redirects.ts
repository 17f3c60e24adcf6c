// Open redirects: return URLs pointing off-site are refused at start-up, and no crafted
// /return request (path, query, AAIO's order_id) ever sends the buyer off the shop.
import { createPayments, memoryStore, type PaymentsConfigError } from '@paymount/core';
import { testProvider } from '@paymount/core/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureError, SECRETS } from '../support/capture.js';
import { figure } from '../support/figures.js';
import { type Shop, send, startShop } from '../support/shop.js';

const OFF_SITE = [
  '//evil.example/thanks',
  '/\\evil.example/thanks',
  'https://evil.example/thanks',
  'http://shop.example.evil.example/thanks',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'https://shop.example@evil.example/',
];

describe('open redirects', () => {
  it('createPayments refuses return URLs that leave the shop', async () => {
    let refused = 0;
    for (const url of OFF_SITE) {
      try {
        createPayments({
          publicUrl: 'https://shop.example/pay',
          secret: SECRETS.paymount,
          store: memoryStore(),
          providers: { test: testProvider() },
          loadOrder: () => null,
          returnUrls: { success: url, pending: '/wait', failure: '/fail' },
        });
      } catch (error) {
        captureError(error);
        if ((error as PaymentsConfigError).problems?.some((p) => p.startsWith('returnUrls.success')))
          refused++;
      }
    }
    await figure(
      {
        area: 'redirects',
        scenario: 'config: off-site return URLs',
        sent: OFF_SITE.length,
        result: `refused=${refused}`,
      },
      () => expect(refused).toBe(OFF_SITE.length),
    );
  });

  describe('crafted /return requests', () => {
    let shop: Shop;
    let ids: string[] = [];
    beforeAll(async () => {
      shop = await startShop();
      const a = await shop.checkout('REDIR-1', 'aurpay');
      const b = await shop.checkout('REDIR-2', 'aaio');
      await shop.aaioSim.pay(b.id);
      ids = [a.id, b.id];
    });
    afterAll(async () => {
      await shop.close();
    });

    it('never redirect off-site', async () => {
      const evil = fc.constantFrom(
        'https://evil.example/',
        '//evil.example',
        '/\\evil.example',
        '%2F%2Fevil.example',
        'https:%2F%2Fevil.example',
        '@evil.example',
        'javascript:alert(1)',
        '..%2F..%2F..%2Fevil',
        '%0d%0aLocation:%20https://evil.example',
      );
      const id = fc.oneof(
        fc.constantFrom(...ids),
        evil,
        fc.string({ unit: 'grapheme-ascii', maxLength: 40 }).map(encodeURIComponent),
      );
      const key = fc.constantFrom(
        'order_id',
        'paymentId',
        'next',
        'redirect',
        'return_to',
        'url',
        'success_url',
        'MERCHANT_ORDER_ID',
      );
      const query = fc
        .array(fc.tuple(key, fc.oneof(evil, id)), { maxLength: 4 })
        .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
      const path = fc.oneof(
        fc.constant('/return'),
        fc.constant('/return/'),
        id.map((i) => `/return/${i}`),
      );
      let redirects = 0;
      let refused = 0;
      let offSite = 0;
      await fc.assert(
        fc.asyncProperty(path, query, async (p, q) => {
          const res = await send(`${shop.base}/pay${p}${q ? `?${q}` : ''}`);
          const location = res.headers['location'];
          if (res.status === 303) {
            redirects++;
            const target = new URL(String(location));
            const onSite =
              target.origin === shop.base && /^\/(thanks|wait|failed)\/REDIR-[12]$/.test(target.pathname);
            if (!onSite) offSite++;
            return onSite;
          }
          refused++;
          return res.status < 500 && location === undefined;
        }),
        { numRuns: 300, seed: 20_260_802, endOnFailure: true },
      );
      await figure(
        {
          area: 'redirects',
          scenario: 'crafted /return paths and queries',
          sent: redirects + refused,
          result: `redirects=${redirects} (all to the shop's pages) 4xx=${refused} offSite=${offSite}`,
        },
        () => {
          expect(offSite).toBe(0);
          expect(redirects).toBeGreaterThan(0);
        },
      );
    });
  });
});
