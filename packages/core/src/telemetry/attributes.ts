import type { Attributes } from '@opentelemetry/api';
import { isPaymentsError } from '../domain/errors.js';

/**
 * Every attribute paymount puts on a span or a metric is built here, from closed sets of
 * values: configured provider and hook names, route names, error codes, payment statuses,
 * numbers. No builder takes a URL, a query, a header, a message, a payment's metadata or
 * a buyer's e-mail, so none can leak one; a label outside its set becomes `other`.
 */
const LABEL = /^[a-z][a-z0-9_.-]{0,47}$/;

/** A label from a closed set of lowercase names; anything else (a stranger's input) is `other`. */
export function label(value: string | undefined, known?: ReadonlySet<string>): string {
  if (value === undefined || value === '') return 'none';
  if (known ? !known.has(value) : !LABEL.test(value)) return 'other';
  return value;
}

/** The stable code of a failure (a `PaymentsError` code), `internal` for anything else. */
export function errorCode(error: unknown): string {
  return isPaymentsError(error) ? label(error.code) : 'internal';
}

/** Builds the attributes of one span or data point: only the keys named here exist. */
export interface AttributeBuilder {
  provider(name: string | undefined): string;
  hook(name: string): string;
  checkout(provider: string | undefined, outcome: string, code?: string): Attributes;
  callback(provider: string, outcome: string, code?: string): Attributes;
  transition(provider: string, from: string, to: string): Attributes;
  hookRun(hook: string, outcome: string, attempt?: number): Attributes;
  providerCall(provider: string, operation: string, status: string): Attributes;
  request(route: string, provider: string | undefined, code: string, httpStatus: number): Attributes;
}

/** The builder for one engine: provider and hook names are the configured ones. */
export function attributeBuilder(
  providers: ReadonlySet<string>,
  hooks: ReadonlySet<string>,
): AttributeBuilder {
  const provider = (name: string | undefined): string =>
    name === undefined ? 'none' : label(name, providers);
  const hook = (name: string): string => label(name, hooks);
  return {
    provider,
    hook,
    checkout: (name, outcome, code) => ({
      'paymount.provider': provider(name),
      'paymount.outcome': label(outcome),
      ...(code === undefined ? {} : { 'error.code': label(code) }),
    }),
    callback: (name, outcome, code) => ({
      'paymount.provider': provider(name),
      'paymount.outcome': label(outcome),
      ...(code === undefined ? {} : { 'error.code': label(code) }),
    }),
    transition: (name, from, to) => ({
      'paymount.provider': provider(name),
      'paymount.from': label(from),
      'paymount.to': label(to),
    }),
    hookRun: (name, outcome, attempt) => ({
      'paymount.hook': hook(name),
      'paymount.outcome': label(outcome),
      ...(attempt === undefined ? {} : { 'paymount.attempt': attempt }),
    }),
    providerCall: (name, operation, status) => ({
      'paymount.provider': provider(name),
      'paymount.operation': label(operation),
      'paymount.status': label(status),
    }),
    request: (route, name, code, httpStatus) => ({
      'paymount.route': label(route),
      'paymount.provider': provider(name),
      'paymount.outcome': label(code),
      'http.response.status_code': httpStatus,
    }),
  };
}
