import { PAYMENT_STATUSES, type PaymentStatus } from '@paymount/core';
import type { ConsoleListQuery } from '../options.js';

/** The payments list's filters as the form sent them (empty: not filtered). */
export interface ListFilters {
  readonly status: PaymentStatus | '';
  readonly provider: string;
  readonly search: string;
  /** `YYYY-MM-DD`, UTC, inclusive. */
  readonly from: string;
  /** `YYYY-MM-DD`, UTC, inclusive. */
  readonly to: string;
  readonly cursor: string;
}

/** A filter value the console cannot use: the page answers 400 with this message. */
export class FilterError extends Error {}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

function day(name: string, value: string): string {
  if (value === '') return '';
  if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new FilterError(`"${name}" must be a date like 2026-12-01.`);
  }
  return value;
}

/** Reads the list's filters from the query; a value that is not one it offers is a {@link FilterError}. */
export function readFilters(query: URLSearchParams, providers: readonly string[]): ListFilters {
  const status = query.get('status') ?? '';
  if (status !== '' && !(PAYMENT_STATUSES as readonly string[]).includes(status)) {
    throw new FilterError(`"status" must be one of ${PAYMENT_STATUSES.join(', ')}.`);
  }
  const provider = query.get('provider') ?? '';
  if (provider !== '' && !providers.includes(provider)) {
    throw new FilterError(`"provider" must be one of ${providers.join(', ')}.`);
  }
  const search = (query.get('q') ?? '').trim();
  if (search.length > 200) throw new FilterError('The search is longer than 200 characters.');
  return {
    status: status as PaymentStatus | '',
    provider,
    search,
    from: day('from', query.get('from') ?? ''),
    to: day('to', query.get('to') ?? ''),
    cursor: query.get('cursor') ?? '',
  };
}

/** The `payments.list()` query for the filters: dates become the UTC day's bounds. */
export function listQuery(filters: ListFilters, limit: number): ConsoleListQuery {
  const until = filters.to ? new Date(Date.parse(`${filters.to}T00:00:00Z`) + DAY_MS).toISOString() : '';
  return {
    limit,
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.provider ? { provider: filters.provider } : {}),
    ...(filters.search ? { search: filters.search } : {}),
    ...(filters.from ? { createdSince: `${filters.from}T00:00:00.000Z` } : {}),
    ...(until ? { createdUntil: until } : {}),
    ...(filters.cursor ? { cursor: filters.cursor } : {}),
  };
}
