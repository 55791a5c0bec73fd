// The three ways a call arrives: Prism's HTTP JSON route, Connect unary (JSON or binary protobuf) and
// gRPC-web (binary protobuf or JSON, one framed message). Each reads one request message and renders
// one answer or one protocol error; none has CORS headers (a browser is never a caller).
import { readCapped } from '../../core/kit.js';
import { MessageError, decodeRequest, encodeResponse, requestFromJson, responseToPrismJson, responseToProtoJson, type TokenRequestMessage, type TokenResponseMessage } from './messages.js';
import { WireError } from './wire.js';

/** Connect's error codes this service uses, with their HTTP status and gRPC number. */
export const RPC_CODES = {
  invalid_argument: [400, 3],
  unauthenticated: [401, 16],
  permission_denied: [403, 7],
  resource_exhausted: [429, 8],
  unimplemented: [501, 12],
  internal: [500, 13],
} as const;
export type RpcCode = keyof typeof RPC_CODES;

/** A refusal before the method runs; `message` is fixed text, never a value from the request. */
export class RpcError extends Error {
  override readonly name: string = 'RpcError';
  readonly code: RpcCode;
  /** The HTTP status on Prism's HTTP route (413, 415 and 431 say more than Connect's codes). */
  readonly httpStatus: number;

  constructor(code: RpcCode, message: string, httpStatus: number = RPC_CODES[code][0]) {
    super(message);
    this.code = code;
    this.httpStatus = httpStatus;
  }
}

export type Protocol = 'http' | 'connect-json' | 'connect-proto' | 'grpc-web-proto' | 'grpc-web-json';

const BASE: Readonly<Record<string, string>> = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Which protocol an RPC path is called in, from its content type; undefined if none served here. */
export function rpcProtocol(request: Request): Protocol | undefined {
  switch (mediaType(request)) {
    case 'application/json':
      return 'connect-json';
    case 'application/proto':
      return 'connect-proto';
    case 'application/grpc-web':
    case 'application/grpc-web+proto':
      return 'grpc-web-proto';
    case 'application/grpc-web+json':
      return 'grpc-web-json';
    default:
      return undefined;
  }
}

export const isJsonRequest = (request: Request): boolean => mediaType(request) === 'application/json';

async function readBody(request: Request, max: number): Promise<Uint8Array> {
  const tooLarge = () => new RpcError('resource_exhausted', `the request body is larger than ${max} bytes`, 413);
  if (Number(request.headers.get('content-length')) > max) throw tooLarge();
  const bytes = await readCapped(request.body, max);
  if (bytes === null) throw tooLarge();
  return bytes;
}

function parseJson(bytes: Uint8Array): TokenRequestMessage {
  let body: unknown;
  try {
    // An empty body is the empty message.
    body = bytes.length === 0 ? {} : JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new RpcError('invalid_argument', 'the request body is not valid JSON');
  }
  return requestFromJson(body);
}

/** The request message, or an `RpcError` (`invalid_argument`, `unimplemented`, `resource_exhausted`). */
export async function readRequest(request: Request, protocol: Protocol, max: number): Promise<TokenRequestMessage> {
  const encoding = request.headers.get(protocol.startsWith('grpc') ? 'grpc-encoding' : 'content-encoding');
  if (encoding !== null && encoding !== 'identity') throw new RpcError('unimplemented', 'compressed requests are not supported; send identity');
  const version = request.headers.get('connect-protocol-version');
  if (protocol.startsWith('connect') && version !== null && version !== '1') throw new RpcError('invalid_argument', 'connect-protocol-version must be 1');
  let bytes = await readBody(request, max);
  try {
    if (protocol.startsWith('grpc-web')) bytes = unframe(bytes);
    return protocol === 'connect-proto' || protocol === 'grpc-web-proto' ? decodeRequest(bytes) : parseJson(bytes);
  } catch (error) {
    if (error instanceof MessageError || error instanceof WireError) throw new RpcError('invalid_argument', `the request is not a ${protocol.endsWith('json') || protocol === 'http' ? 'JSON' : 'protobuf'} CreateServerAuthenticationTokenRequest: ${error.message}`);
    throw error;
  }
}

/** The one message of a gRPC-web request body: a 5-byte prefix (flags, big-endian length) and the message. */
function unframe(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 5) throw new WireError('missing gRPC-web message frame');
  if ((bytes[0]! & 1) === 1) throw new RpcError('unimplemented', 'compressed messages are not supported');
  if (bytes[0] !== 0) throw new WireError('unexpected gRPC-web frame');
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(1);
  if (length !== bytes.length - 5) throw new WireError('the gRPC-web frame length does not match the body');
  return bytes.subarray(5);
}

function frame(flag: number, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(5 + payload.length);
  out[0] = flag;
  new DataView(out.buffer).setUint32(1, payload.length);
  out.set(payload, 5);
  return out;
}

const trailers = (status: number, message?: string): Uint8Array<ArrayBuffer> =>
  frame(0x80, new TextEncoder().encode(`grpc-status: ${status}\r\n${message === undefined ? '' : `grpc-message: ${encodeURIComponent(message)}\r\n`}`));

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

const json = (status: number, body: unknown, type = 'application/json'): Response =>
  new Response(JSON.stringify(body), { status, headers: { ...BASE, 'content-type': type } });

/** The method's answer (an in-band failure is an answer too). */
export function renderResponse(protocol: Protocol, message: TokenResponseMessage): Response {
  switch (protocol) {
    case 'http':
      return json(200, responseToPrismJson(message));
    case 'connect-json':
      return json(200, responseToProtoJson(message));
    case 'connect-proto':
      return new Response(encodeResponse(message), { status: 200, headers: { ...BASE, 'content-type': 'application/proto' } });
    case 'grpc-web-proto':
    case 'grpc-web-json': {
      const payload = protocol === 'grpc-web-proto' ? encodeResponse(message) : new TextEncoder().encode(JSON.stringify(responseToProtoJson(message)));
      return new Response(concat(frame(0, payload), trailers(0)), { status: 200, headers: { ...BASE, 'content-type': `application/${protocol.replace('-proto', '+proto').replace('-json', '+json')}` } });
    }
  }
}

/**
 * A refusal in the protocol's own form: Connect's `{ code, message }` with its HTTP status, gRPC-web's
 * trailers with HTTP 200, or on the HTTP route an HTTP status with Prism's in-band error body.
 */
export function renderError(protocol: Protocol | undefined, error: RpcError): Response {
  const headers: Record<string, string> = error.code === 'unauthenticated' ? { 'www-authenticate': 'Bearer' } : {};
  if (protocol === 'grpc-web-proto' || protocol === 'grpc-web-json') {
    return new Response(trailers(RPC_CODES[error.code][1], error.message), { status: 200, headers: { ...BASE, ...headers, 'content-type': `application/${protocol.replace('-proto', '+proto').replace('-json', '+json')}` } });
  }
  if (protocol === 'http') {
    const body = responseToPrismJson({ status: 'INVALID_REQUEST', statusCode: error.httpStatus, error: { code: error.code, message: error.message } });
    if (error.code === 'unauthenticated') body.status = 'OPERATION_STATUS_AUTHENTICATION_FAILED';
    const response = json(error.httpStatus, body);
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  }
  const response = json(RPC_CODES[error.code][0], { code: error.code, message: error.message });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}
