// The playground: one mock payment widget per Worker mode, each bootstrapped with the widget client
// (build/widget.js, bundled by `npm start`), the emulator's controls, and the timeline.
// Tokens stay in the widget client's memory: the page shows their type, length and (session JWTs)
// decoded claims, and keeps times and codes only.
import { createWidgetTokenClient } from './build/widget.js';
import { createTimeline } from './timeline.js';

const $ = (selector, root = document) => root.querySelector(selector);
const clockTime = (t) => new Date(t).toTimeString().slice(0, 8);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

const timeline = createTimeline($('#timeline'), [
  { id: 'session', label: 'demo-session widget' },
  { id: 'upstream', label: 'demo-upstream widget' },
  { id: 'provider', label: 'provider (emulator)' },
]);

/** What happened, for people and tests: kinds, times, codes — no token values. */
const log = [];
const record = (event) => log.push(event);

/** The payload of a JWT, for display; undefined for any other token. */
function jwtClaims(token) {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const json = atob(parts[1].replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
  } catch {
    return undefined;
  }
}

function createPanel(article) {
  const { mode, profile } = article.dataset;
  article.append($('#panel').content.cloneNode(true));
  const ui = Object.fromEntries(['widget', 'widget-status', 'pay', 'refund', 'order', 't-type', 't-scope', 't-left', 't-count', 't-error', 'claims', 'lifetime'].map((c) => [c, $(`.${c}`, article)]));
  let client;
  let current; // { n, expiresAt, expired }
  let issued = 0;
  let pending = false;
  let widgetErrors = 0;

  function showToken(token) {
    const claims = jwtClaims(token.accessToken);
    ui['t-type'].textContent = `${token.tokenType}, ${claims ? 'JWT' : 'opaque provider token'} of ${token.accessToken.length} chars (not shown)`;
    ui['t-scope'].textContent = token.scope ?? '—';
    ui.claims.hidden = !claims;
    if (!claims) return;
    const rows = Object.entries(claims).map(([name, value]) => {
      const row = document.createElement('tr');
      const time = (name === 'iat' || name === 'exp') && typeof value === 'number' ? ` (${clockTime(value * 1000)})` : '';
      row.append(Object.assign(document.createElement('th'), { textContent: name }), Object.assign(document.createElement('td'), { textContent: `${value}${time}` }));
      return row;
    });
    $('tbody', ui.claims).replaceChildren(...rows);
  }

  function onToken(token) {
    const now = Date.now();
    const kind = current === undefined ? 'issued' : now < current.expiresAt ? 'refresh' : 'late';
    const spare = current && kind === 'refresh' ? `${seconds(current.expiresAt - now)} left` : undefined;
    current = { n: ++issued, expiresAt: token.expiresAt, expired: false };
    timeline.token(mode, current.n, now, token.expiresAt);
    timeline.mark(mode, kind, now, spare, current.n);
    record({ mode, type: kind, at: now, n: current.n, expiresAt: token.expiresAt, tokenType: token.tokenType });
    ui['t-count'].textContent = String(issued);
    showToken(token);
  }

  function onError(error) {
    const now = Date.now();
    const kept = current !== undefined && now < current.expiresAt;
    timeline.mark(mode, 'error', now, `${error.status ?? ''} ${error.code}`.trim());
    record({ mode, type: 'error', at: now, code: error.code, status: error.status, kept });
    ui['t-error'].textContent = `${error.code} at ${clockTime(now)}${kept ? ' — the valid token stays in use, retrying' : ''}`;
  }

  /** The mock widget uses its token, as a real one does before each API call. */
  function use(action = 'ready') {
    if (pending) return;
    pending = true;
    const self = client;
    self.get().then(
      (token) => {
        if (self !== client) return;
        ui.widget.dataset.state = 'ready';
        ui['widget-status'].textContent = action === 'pay' ? `Payment authorised (mock) with token #${current?.n}` : `Ready · ${token.tokenType} token #${current?.n}`;
      },
      (error) => {
        if (self !== client) return; // a restarted widget's old client was disposed on purpose
        widgetErrors++;
        ui.widget.dataset.state = 'error';
        ui.widget.dataset.errors = String(widgetErrors);
        ui['widget-status'].textContent = `No token: ${error.code ?? error.name}`;
        record({ mode, type: 'widget-error', at: Date.now(), code: error.code });
      },
    ).finally(() => {
      if (self === client) pending = false;
    });
  }

  function start(expiresIn) {
    const now = Date.now();
    if (client) {
      client.dispose();
      timeline.end(mode, now);
      timeline.mark(mode, 'restart', now, `restart · ${expiresIn ? `${expiresIn} s` : 'profile max'}`);
    }
    current = undefined;
    pending = false;
    ui.widget.dataset.state = 'starting';
    ui['widget-status'].textContent = 'Waiting for a token…';
    client = createWidgetTokenClient({ endpoint: '/v1/tokens', profile, ...(expiresIn ? { expiresIn } : {}) });
    client.onToken(onToken);
    client.onError(onError);
    record({ mode, type: 'start', at: now, expiresIn });
    use();
  }

  function tick(now, second) {
    if (current === undefined) return;
    ui['t-left'].textContent = now < current.expiresAt ? `${seconds(current.expiresAt - now)} (at ${clockTime(current.expiresAt)})` : 'expired';
    if (!current.expired && now >= current.expiresAt) {
      current.expired = true;
      ui.widget.dataset.state = 'starting';
      ui['widget-status'].textContent = `Token #${current.n} expired · waiting for a new one…`;
      timeline.mark(mode, 'expired', current.expiresAt, undefined, current.n);
      record({ mode, type: 'expired', at: current.expiresAt, n: current.n });
    }
    if (second) use();
  }

  /** For tests and the console: does the widget have a valid token right now? (No token value.) */
  const probe = () =>
    client.get().then(
      (token) => ({ ok: true, n: current?.n, left: token.expiresAt - Date.now() }),
      (error) => ({ ok: false, code: error.code }),
    );

  const input = ui.lifetime.elements.expiresIn;
  input.value = new URLSearchParams(location.search).get(mode) ?? '';
  ui.lifetime.addEventListener('submit', (event) => {
    event.preventDefault();
    start(input.value ? Number(input.value) : undefined);
  });
  /**
   * Session mode: a call to PayPal through the Worker's proxy (/v1/proxy/demo-session/…). The page
   * holds only its session token; the Worker attaches the server token. Problems show their code.
   */
  async function proxied(label, path, init) {
    const at = Date.now();
    const status = ui.order;
    status.hidden = false;
    try {
      const response = await client.fetch(path, init);
      const body = await response.json().catch(() => ({}));
      timeline.mark(mode, 'proxy', at, `${label} → ${response.status}`);
      record({ mode, type: 'proxy', at, status: response.status, orderId: body.id });
      status.dataset.ok = String(response.ok);
      status.textContent = response.ok && body.id ? `Order ${body.id} ${body.status ?? ''} (through the proxy)`.trim() : `Provider answered ${response.status} ${body.name ?? ''}`.trim();
    } catch (error) {
      const code = error.upstreamCode ?? error.code ?? error.name;
      timeline.mark(mode, 'error', at, `${label} → ${error.status ?? ''} ${code}`.trim());
      record({ mode, type: 'proxy-error', at, status: error.status, code });
      status.dataset.ok = 'false';
      status.textContent = `Proxy refused: ${code}`;
    }
  }
  const order = { intent: 'CAPTURE', purchase_units: [{ reference_id: 'order-1042', amount: { currency_code: 'EUR', value: '42.00' } }] };
  if (mode === 'session') {
    ui.pay.addEventListener('click', () => proxied('POST orders', 'v2/checkout/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(order) }));
    ui.refund.hidden = false;
    ui.refund.addEventListener('click', () => proxied('POST refund', 'v2/payments/captures/0000000000000000X/refund', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));
  } else {
    ui.pay.addEventListener('click', () => use('pay'));
  }
  start(input.value ? Number(input.value) : undefined);
  return { tick, probe };
}

// The emulator's control surface (dev only): lifetimes, faults, reset, and its request log.
const status = $('#emulator-status');
let seenRequests = 0;
let faultTimer;

async function emulator(method, path = '', body) {
  const init = body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const response = await fetch(`/__emulator${path}`, init);
  if (!response.ok) throw new Error(`${method} /__emulator${path}: ${response.status}`);
  return response.status === 204 ? undefined : response.json();
}

const report = (promise, done) =>
  promise.then((value) => (status.textContent = done(value))).catch((error) => (status.textContent = error.message));

async function pollRequests() {
  if ($('.emulator').hidden) return; // not a dev Worker: nothing to poll
  const { requests } = await emulator('GET', '/requests');
  if (requests.length < seenRequests) seenRequests = 0; // the emulator was replaced
  for (const r of requests.slice(seenRequests)) timeline.mark('provider', r.path.endsWith('/oauth2/token') ? 'server' : r.path.includes('/v2/checkout/') ? 'proxy' : 'client', r.at);
  seenRequests = requests.length;
}

function endFault(at) {
  clearTimeout(faultTimer);
  timeline.closeSpans(at);
}

function setupEmulator() {
  const lifetimes = $('#lifetimes');
  const fault = $('#fault');
  emulator('GET').then(({ lifetimes: current }) => {
    for (const [name, value] of Object.entries(current)) if (lifetimes.elements[name]) lifetimes.elements[name].value = value;
  }).catch(() => ($('.emulator').hidden = true));
  lifetimes.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = { paypal: Number(lifetimes.elements.paypal.value), paypalClientToken: Number(lifetimes.elements.paypalClientToken.value) };
    seenRequests = 0;
    timeline.mark('provider', 'restart', Date.now(), `lifetimes ${body.paypal} s / ${body.paypalClientToken} s`);
    report(emulator('PUT', '/lifetimes', body), () => `Lifetimes: server token ${body.paypal} s, client token ${body.paypalClientToken} s.`);
  });
  fault.addEventListener('submit', (event) => {
    event.preventDefault();
    const f = fault.elements;
    const code = Number(f.status.value);
    const body = { status: code, ...(code === 429 ? { retryAfter: 2 } : {}) };
    const now = Date.now();
    if (f.for.value === 'times') {
      timeline.mark('provider', 'fault', now, `${code} × ${f.times.value}`);
      report(emulator('POST', '/faults', { ...body, times: Number(f.times.value) }), () => `Next ${f.times.value} upstream requests answer ${code}.`);
      return;
    }
    // The emulator counts faults in requests; a timed outage is one until cleared, cleared after T.
    const ms = Number(f.seconds.value) * 1000;
    endFault(now);
    timeline.span(now, now + ms, `${code} for ${f.seconds.value} s`);
    report(emulator('POST', '/faults', body), () => `Upstream answers ${code} until ${clockTime(now + ms)}.`);
    faultTimer = setTimeout(() => report(emulator('DELETE', '/faults'), () => 'Outage over: faults cleared.'), ms);
  });
  $('#clear-faults').addEventListener('click', () => {
    endFault(Date.now());
    report(emulator('DELETE', '/faults'), () => 'Faults cleared.');
  });
  $('#reset').addEventListener('click', () => {
    endFault(Date.now());
    seenRequests = 0;
    report(emulator('POST', '/reset', {}), () => 'Emulator reset: requests, faults and server tokens forgotten.');
  });
}

fetch('/healthz')
  .then((r) => r.json())
  .then((body) => ($('#health').textContent = body.ok ? 'ok' : 'not ok'))
  .catch(() => ($('#health').textContent = 'unreachable'));

const panels = Object.fromEntries([...document.querySelectorAll('.panel')].map((article) => [article.dataset.mode, createPanel(article)]));
setupEmulator();
$('#window').addEventListener('change', (event) => timeline.setWindow(Number(event.target.value)));

let lastSecond = 0;
setInterval(() => {
  const now = Date.now();
  const second = now - lastSecond >= 1000;
  if (second) {
    lastSecond = now;
    pollRequests().catch(() => {});
  }
  for (const panel of Object.values(panels)) panel.tick(now, second);
  timeline.render(now);
}, 200);

window.playground = { log, probe: (mode) => panels[mode].probe() };
