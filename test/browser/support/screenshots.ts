import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../../artifacts/screenshots/', import.meta.url));

/** Numbered full-page screenshots of one flow, in artifacts/screenshots/<flow>/NN-step.png. */
export class StepShots {
  readonly #dir: string;
  #count = 0;

  constructor(flow: string) {
    this.#dir = join(ROOT, flow);
    rmSync(this.#dir, { recursive: true, force: true });
    mkdirSync(this.#dir, { recursive: true });
  }

  async take(page: Page, step: string): Promise<void> {
    this.#count++;
    const name = `${String(this.#count).padStart(2, '0')}-${step}.png`;
    await page.screenshot({ path: join(this.#dir, name), fullPage: true });
  }
}
