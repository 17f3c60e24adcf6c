import { BlockList, isIP } from 'node:net';
import type { Logger } from '@paymount/core/provider';
import type { AaioApiClient } from './api-client.js';
import { type AaioIpAllowlist, parseIpEntry } from './options.js';

function toBlockList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const parsed = parseIpEntry(entry);
    if (!parsed) continue;
    if (parsed.prefix === null) list.addAddress(parsed.address, parsed.family);
    else list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return list;
}

/** `::ffff:1.2.3.4` (IPv4 seen through an IPv6 socket) is `1.2.3.4`. */
function normalizeIp(ip: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  let address = ip.trim();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) address = mapped[1]!;
  const version = isIP(address);
  if (version === 4) return { address, family: 'ipv4' };
  if (version === 6) return { address, family: 'ipv6' };
  return null;
}

/**
 * The source-address check of notifications. It reads only the address the
 * adapter resolved (its trust-proxy setting decides whether X-Forwarded-For
 * counts); it never looks at forwarding headers itself.
 */
export class NotificationIpCheck {
  readonly #mode: AaioIpAllowlist;
  readonly #ttlMs: number;
  readonly #fallback: BlockList;
  readonly #api: AaioApiClient;
  readonly #static: BlockList | null;
  #fetched: { list: BlockList; at: number } | null = null;
  #loading: Promise<BlockList> | null = null;

  constructor(options: {
    mode: AaioIpAllowlist;
    ttlMs: number;
    fallback: readonly string[];
    api: AaioApiClient;
  }) {
    this.#mode = options.mode;
    this.#ttlMs = options.ttlMs;
    this.#fallback = toBlockList(options.fallback);
    this.#api = options.api;
    this.#static = Array.isArray(options.mode) ? toBlockList(options.mode) : null;
  }

  get enabled(): boolean {
    return this.#mode !== false;
  }

  /** True when notifications from `ip` are allowed (always, when the check is off). */
  async allows(ip: string | undefined, now: number, logger: Logger): Promise<boolean> {
    if (this.#mode === false) return true;
    const source = ip === undefined ? null : normalizeIp(ip);
    if (!source) return false;
    const list = this.#static ?? (await this.#fetchedList(now, logger));
    return list.check(source.address, source.family);
  }

  async #fetchedList(now: number, logger: Logger): Promise<BlockList> {
    if (this.#fetched && now - this.#fetched.at < this.#ttlMs) return this.#fetched.list;
    this.#loading ??= this.#load(now, logger).finally(() => {
      this.#loading = null;
    });
    return this.#loading;
  }

  async #load(now: number, logger: Logger): Promise<BlockList> {
    try {
      const answer = await this.#api.get('/api/public/ips');
      const raw = answer['list'];
      const entries = Array.isArray(raw)
        ? raw.filter((v): v is string => typeof v === 'string' && parseIpEntry(v) !== null)
        : [];
      if (entries.length === 0) throw new Error('AAIO listed no addresses');
      const list = toBlockList(entries);
      this.#fetched = { list, at: now };
      return list;
    } catch (error) {
      logger.warn(
        { err: error },
        'paymount/aaio: could not read AAIO notification addresses; using the last known list',
      );
      // Try again soon rather than after a whole TTL, but not on every notification.
      const stale = this.#fetched?.list ?? this.#fallback;
      this.#fetched = { list: stale, at: now - this.#ttlMs + Math.min(this.#ttlMs, 60_000) };
      return stale;
    }
  }
}
