import { randomBytes } from 'node:crypto';
import { type AurpaySimOrder, aurpayTime, isPositiveDecimal } from './order-book.js';
import type { AurpaySimState } from './state.js';

/** Which creation call: `pay-url` (hosted checkout) or `pay-info` (a fixed chain and coin). */
export type OrderKind = 'pay-url' | 'pay-info';

/** What a creation request asked for, once checked. */
interface OrderRequest {
  readonly price: { readonly text: string; readonly type: 'number' | 'string' };
  readonly fiat: string;
  readonly chain: string;
  readonly coin: string;
}

/** "10.00" → "10.0", "1000" → "1000.0": how Aurpay's example writes a fiat price back. */
function floatText(value: string): string {
  const [whole, fraction = ''] = value.split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return `${whole}.${trimmed === '' ? '0' : trimmed}`;
}

/** The `price` of a pay-url body exactly as written: JSON floats would lose the digits. */
function rawAmount(body: string, field: string): { text: string; type: 'number' | 'string' } | null {
  const match = new RegExp(`"${field}"\\s*:\\s*(?:"([^"]*)"|(-?[0-9][0-9.eE+-]*))`).exec(body);
  if (!match) return null;
  return match[1] !== undefined ? { text: match[1], type: 'string' } : { text: match[2]!, type: 'number' };
}

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** Checks a creation body; returns what it asks for, or the message Aurpay would refuse it with. */
function readOrderRequest(
  state: AurpaySimState,
  body: Record<string, unknown>,
  raw: string,
  kind: OrderKind,
): OrderRequest | string {
  const priceField = kind === 'pay-url' ? 'price' : 'vs_price';
  const fiatField = kind === 'pay-url' ? 'currency' : 'vs_currency';
  const price = rawAmount(raw, priceField);
  if (!price || !isPositiveDecimal(price.text)) return `${priceField} must be a positive amount`;
  const fiat = str(body[fiatField])?.toUpperCase();
  if (!fiat || !state.options.currencies.includes(fiat)) return `${fiatField} is not a supported currency`;
  const chain = kind === 'pay-info' ? str(body['chain']) : 'ETH';
  const coin = kind === 'pay-info' ? str(body['currency']) : 'USDT-ERC20';
  if (!chain || !coin) return 'chain and currency are required';
  return { price, fiat, chain, coin };
}

/** The public order-info object of a new order, as the API and POST callbacks show it. */
function newOrderInfo(state: AurpaySimState, request: OrderRequest): AurpaySimOrder['info'] {
  const created = state.now();
  const { price, chain } = request;
  return {
    user_id: state.options.merchantId,
    order_id: state.book.newOrderId(created),
    order_type: 'ORDER',
    platform: 'AURPAY',
    status: 'PENDING',
    chain,
    chain_name: chain === 'BTC' ? 'Bitcoin' : chain === 'ETH' ? 'Ethereum' : chain,
    currency: request.coin,
    amount: price.text,
    vs_price: state.options.vsPriceStyle === 'as-sent' ? price.text : floatText(price.text),
    vs_currency: request.fiat,
    remark: '',
    refund: false,
    bind_id: null,
    create_time: aurpayTime(created, state.options.timeZoneOffsetMinutes),
    update_time: aurpayTime(created, state.options.timeZoneOffsetMinutes),
    tx_id: `${hex(4)}-${hex(2)}-${hex(2)}-${hex(2)}-${hex(6)}`,
    tx_type: 'ORDER',
    obtained: null,
    fee: '0',
    from_addr: null,
    to_addr: `0x${hex(20)}`,
    tx_hash: null,
    tx_hash_list: [],
    contract_id: null,
    website: null,
  };
}

/**
 * Creates the order a `pay-url` or `pay-info` body asks for, with the merchant's callback
 * and return URLs; returns Aurpay's refusal message instead when the body is not valid.
 */
export function createOrder(
  state: AurpaySimState,
  body: Record<string, unknown>,
  raw: string,
  kind: OrderKind,
): AurpaySimOrder | string {
  const request = readOrderRequest(state, body, raw, kind);
  if (typeof request === 'string') return request;
  const order: AurpaySimOrder = {
    info: newOrderInfo(state, request),
    token: state.book.newToken(),
    priceText: request.price.text,
    priceType: request.price.type,
    succeedUrl: str(body['succeed_url']),
    timeoutUrl: str(body['timeout_url']),
    callbackUrl: str(body['callback_url']),
    timeoutCallback: str(body['timeout_callback']),
    enablePostCallback: body['enable_post_callback'] === true,
    fixedEncryptPrice: body['fixed_encrypt_price'] === true,
    paidAmount: null,
  };
  state.book.add(order);
  return order;
}
