// PayPal Orders v2, create and show, enough for a checkout to run offline through the Worker's proxy.
// Shapes follow PayPal's public reference (https://developer.paypal.com/docs/api/orders/v2/):
// 201 with `{ id, status: "CREATED", links }` (the whole order with `Prefer: return=representation`),
// 200 with the order on GET, `{ name, message, debug_id, details, links }` errors. Wire facts are in
// docs/providers.md ("PayPal Orders v2 in the emulator").
import { hasMediaType, json, randomToken } from '../../emulator/respond.js';
import type { RecordedRequest } from '../../emulator/types.js';

export const ORDERS_PATH = '/v2/checkout/orders';

interface Order {
  id: string;
  clientId: string;
  intent: string;
  purchase_units: unknown[];
  create_time: string;
}

const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CURRENCY = /^[A-Z]{3}$/;
const AMOUNT = /^\d{1,10}(\.\d{1,3})?$/;

/** PayPal's order ids: 17 upper-case letters and digits. */
function orderId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(17)), (byte) => ID_ALPHABET[byte % 36]).join('');
}

function restError(status: number, name: string, message: string, issue?: { field?: string; issue: string; description: string }): Response {
  const body: Record<string, unknown> = { name, message, debug_id: randomToken('debug').slice(6, 19) };
  if (issue !== undefined) {
    body.details = [{ ...(issue.field === undefined ? {} : { field: issue.field, location: 'body' }), issue: issue.issue, description: issue.description }];
    body.links = [{ href: `https://developer.paypal.com/api/rest/reference/orders/v2/errors/#${issue.issue}`, rel: 'information_link', method: 'GET' }];
  }
  return json(status, body);
}

const invalid = (field: string, issue: string, description: string): Response =>
  restError(400, 'INVALID_REQUEST', 'Request is not well-formed, syntactically incorrect, or violates schema.', { field, issue, description });

/** Why a create body is refused, or undefined if it is a valid order. */
function checkCreate(body: unknown): Response | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return invalid('/', 'MALFORMED_REQUEST_JSON', 'The request JSON is not well formed.');
  const { intent, purchase_units: units } = body as Record<string, unknown>;
  if (intent === undefined) return invalid('/intent', 'MISSING_REQUIRED_PARAMETER', 'A required field / parameter is missing.');
  if (intent !== 'CAPTURE' && intent !== 'AUTHORIZE') return invalid('/intent', 'INVALID_PARAMETER_VALUE', 'The value of a field is invalid.');
  if (units === undefined) return invalid('/purchase_units', 'MISSING_REQUIRED_PARAMETER', 'A required field / parameter is missing.');
  if (!Array.isArray(units) || units.length < 1 || units.length > 10) return invalid('/purchase_units', 'INVALID_ARRAY_MIN_ITEMS', 'The number of items in an array parameter is too small or too large.');
  for (const [i, unit] of units.entries()) {
    const amount = (unit as { amount?: { currency_code?: unknown; value?: unknown } } | null)?.amount;
    if (amount === undefined) return invalid(`/purchase_units/${i}/amount`, 'MISSING_REQUIRED_PARAMETER', 'A required field / parameter is missing.');
    if (typeof amount.currency_code !== 'string' || !CURRENCY.test(amount.currency_code)) return invalid(`/purchase_units/${i}/amount/currency_code`, 'INVALID_PARAMETER_VALUE', 'The value of a field is invalid.');
    if (typeof amount.value !== 'string' || !AMOUNT.test(amount.value)) return invalid(`/purchase_units/${i}/amount/value`, 'INVALID_PARAMETER_SYNTAX', 'The value of a field does not conform to the expected format.');
  }
  return undefined;
}

export interface PayPalOrders {
  /** Answers `/v2/checkout/orders[/{id}]` for the client that owns `bearer`'s token (undefined: not authorised). */
  handle(request: RecordedRequest, path: string, clientId: string | undefined): Response;
  reset(): void;
}

export function createPayPalOrders(now: () => number): PayPalOrders {
  const orders = new Map<string, Order>();
  const byRequestId = new Map<string, string>();

  const links = (request: RecordedRequest, order: Order) => {
    const self = `${new URL(request.url).origin}/paypal${ORDERS_PATH}/${order.id}`;
    return [
      { href: self, rel: 'self', method: 'GET' },
      { href: `${new URL(request.url).origin}/paypal/checkoutnow?token=${order.id}`, rel: 'approve', method: 'GET' },
      { href: self, rel: 'update', method: 'PATCH' },
      { href: `${self}/${order.intent === 'AUTHORIZE' ? 'authorize' : 'capture'}`, rel: order.intent === 'AUTHORIZE' ? 'authorize' : 'capture', method: 'POST' },
    ];
  };
  const full = (request: RecordedRequest, order: Order) => ({ id: order.id, intent: order.intent, status: 'CREATED', purchase_units: order.purchase_units, create_time: order.create_time, links: links(request, order) });

  const create = (request: RecordedRequest, clientId: string): Response => {
    if (!hasMediaType(request.headers['content-type'], 'application/json')) return restError(415, 'UNSUPPORTED_MEDIA_TYPE', 'The server does not support the request payload media type.');
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return invalid('/', 'MALFORMED_REQUEST_JSON', 'The request JSON is not well formed.');
    }
    const refused = checkCreate(body);
    if (refused !== undefined) return refused;
    // PayPal-Request-Id makes a create idempotent: the same key returns the order it created.
    const key = request.headers['paypal-request-id'];
    const known = key === undefined ? undefined : orders.get(byRequestId.get(`${clientId} ${key}`) ?? '');
    const { intent, purchase_units } = body as { intent: string; purchase_units: unknown[] };
    const order = known ?? { id: orderId(), clientId, intent, purchase_units, create_time: new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z') };
    orders.set(order.id, order);
    if (key !== undefined) byRequestId.set(`${clientId} ${key}`, order.id);
    const representation = /return=representation/i.test(request.headers.prefer ?? '');
    return json(201, representation ? full(request, order) : { id: order.id, status: 'CREATED', links: links(request, order) });
  };

  return {
    handle(request, path, clientId) {
      if (clientId === undefined) return json(401, { error: 'invalid_token', error_description: 'Token signature verification failed' });
      if (path === ORDERS_PATH) return request.method === 'POST' ? create(request, clientId) : restError(405, 'METHOD_NOT_SUPPORTED', 'The server does not implement the requested HTTP method.');
      const id = path.slice(ORDERS_PATH.length + 1);
      if (id.includes('/')) return restError(404, 'RESOURCE_NOT_FOUND', 'The specified resource does not exist.');
      if (request.method !== 'GET') return restError(405, 'METHOD_NOT_SUPPORTED', 'The server does not implement the requested HTTP method.');
      const order = orders.get(id);
      // Another merchant's order is as unknown as a made-up id.
      if (order === undefined || order.clientId !== clientId) {
        return restError(404, 'RESOURCE_NOT_FOUND', 'The specified resource does not exist.', { issue: 'INVALID_RESOURCE_ID', description: 'Specified resource ID does not exist. Please check the resource ID and try again.' });
      }
      return json(200, full(request, order));
    },
    reset() {
      orders.clear();
      byRequestId.clear();
    },
  };
}
