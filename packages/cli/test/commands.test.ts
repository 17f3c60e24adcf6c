// The CLI's commands in-process, for what a spawned run cannot show: the progress line
// on a terminal, and what reaches the terminal from hostile values.
import { createPayments, memoryStore, type Payments } from '@paymount/core';
import { testProvider } from '@paymount/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandContext, Output } from '../src/commands/command.js';
import { COMMANDS } from '../src/commands/index.js';
import { sinceOf } from '../src/commands/list.js';
import { cell, table } from '../src/format.js';

const opened: Payments[] = [];
afterEach(async () => {
  for (const payments of opened.splice(0)) await payments.close();
});

function shop(description = 'Order 1'): Payments {
  const payments = createPayments({
    publicUrl: 'https://shop.example/pay',
    secret: 's'.repeat(40),
    store: memoryStore(),
    providers: { test: testProvider() },
    loadOrder: async () => ({ amount: '10.00', currency: 'USD', description }),
    returnUrls: { success: '/ok', pending: '/wait', failure: '/fail' },
    hookDelivery: { pollIntervalMs: 0 },
    logger: false,
  });
  opened.push(payments);
  return payments;
}

/** An Output that keeps what a command wrote, as a terminal or as a pipe. */
function recorder(isTTY: boolean) {
  const seen = { out: [] as string[], err: [] as string[], progress: [] as string[] };
  const output: Output = {
    out: (line) => void seen.out.push(line),
    err: (line) => void seen.err.push(line),
    progress: (line) => void seen.progress.push(line),
    isTTY,
  };
  return { seen, output };
}

async function runCommand(
  name: string,
  payments: Payments,
  output: Output,
  values: CommandContext['values'] = {},
  args: Record<string, string> = {},
): Promise<void> {
  const command = COMMANDS.find((c) => c.name === name)!;
  await command.run({ payments, values, args, json: values['json'] === true, operator: 'ana', output });
}

describe('reconcile --all', () => {
  it('shows a progress line on a terminal, cleared at the end, and none in a pipe', async () => {
    const payments = shop();
    for (let i = 0; i < 3; i++) await payments.checkout({ orderId: `o-${i}` });
    const tty = recorder(true);
    await runCommand('reconcile', payments, tty.output, { all: true });
    expect(tty.seen.progress).toEqual(['reconciling: checked 3, changed 0, errors 0', '']);
    expect(tty.seen.out).toEqual(['checked 3, changed 0, errors 0']);
    const pipe = recorder(false);
    await runCommand('reconcile', payments, pipe.output, { all: true });
    expect(pipe.seen.progress).toEqual([]);
    expect(pipe.seen.out).toEqual(['checked 3, changed 0, errors 0']);
  });
});

describe('what reaches the terminal', () => {
  it('prints control characters in shop and provider values as ?, so they cannot drive the terminal', async () => {
    const payments = shop('\u001b[2J\u001b]0;owned\u0007 Order\r\nfake line');
    const { payment } = await payments.checkout({ orderId: 'o-1' });
    const { seen, output } = recorder(true);
    await runCommand('show', payments, output, {}, { paymentId: payment.id });
    const text = seen.out.join('\n');
    for (const control of ['\u001b', '\u0007', '\r']) expect(text.includes(control)).toBe(false);
    expect(text).toContain('description:      ?[2J?]0;owned? Order??fake line');
    expect(cell('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(cell(null)).toBe('-');
  });

  it('aligns table columns on the widest cell', () => {
    expect(
      table(
        ['A', 'BB'],
        [
          ['long value', 'x'],
          ['s', 'y'],
        ],
      ),
    ).toEqual(['A           BB', 'long value  x', 's           y']);
  });
});

describe('list --since', () => {
  it('takes a span back from now, a date or a time, and refuses anything else as a usage error', () => {
    const now = Date.parse('2026-12-02T12:00:00.000Z');
    expect(sinceOf('30m', now)).toBe('2026-12-02T11:30:00.000Z');
    expect(sinceOf('24h', now)).toBe('2026-12-01T12:00:00.000Z');
    expect(sinceOf('7d', now)).toBe('2026-11-25T12:00:00.000Z');
    expect(sinceOf('2026-12-01', now)).toBe('2026-12-01T00:00:00.000Z');
    expect(() => sinceOf('last week', now)).toThrow(expect.objectContaining({ exitCode: 1 }));
  });
});
