// Turns the bench results into the printed tables and BENCHMARKS.md: figures, ratios, the machine, the
// command and date, the method of each bench, stated asymmetries, and — wherever tokenmint comes out
// behind an anchor — why, and what would close it (decided from the figures of this very run).

/** Row labels of the three tables, in order; tests/slow/bench-smoke.test.ts checks each is printed. */
export const ROWS = {
  libraries: [
    '1 · cached get(), ns/op',
    '1 · peek() / synchronous read, ns/op',
    '2 · thundering herd: upstream requests for 10,000 cold get()',
    '3 · refresh under load: calls that waited on the upstream',
    '3 · refresh under load: get() latency p50 / p99 / max (virtual ms)',
    '3 · refresh under load: upstream requests',
    '4 · upstream requests per hour, 900 s tokens, busy source',
    '4 · upstream requests in 24 h, idle source',
    '5 · heap per cached source, bytes',
    '5 · timers alive',
    '5 · CPU to create a source and fetch its first token, µs',
  ],
  worker: ['6 · hello-world Worker (baseline)', '6 · POST /v1/tokens, session mode', '6 · POST /v1/tokens, upstream mode'],
  proxy: [
    '8 · direct call to the emulated provider, median ms',
    '8 · the same call through the proxy, median ms',
    '8 · added by the proxy (proxied − direct), median ms',
    '8 · of which the proxy\'s own work (proxied − bare forwarding Worker)',
    '8 · of which one more Worker on the way (bare forwarding Worker − direct)',
    '8 · not counted: Miniflare\'s outbound worker (global fetch − binding)',
  ],
  sizes: [
    '7 · tokenmint core: client_credentials + store',
    '7 · tokenmint/widget (whole entry)',
    '7 · mint Worker script (wrangler.toml main, for workerd)',
    '7 · oauth4webapi client_credentials (no cache)',
    '7 · oauth4webapi + hand cache + single-flight',
    '7 · @badgateway/oauth2-client client_credentials + OAuth2Fetch',
  ],
};

import { budgetChecks, budgetFailures } from './budgets.mjs';
import { CONTENDER_INFO } from './contender-info.mjs';

const IDS = CONTENDER_INFO.map((c) => c.id);
const HEADERS = CONTENDER_INFO.map((c) => c.label);

const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const dec = (n, digits = 1) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${a / b >= 100 ? int(a / b) : dec(a / b, 2)}×` : undefined);
const clip = (text, n = 220) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

function table(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? ':---' : '---:')).join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

/** A cell per contender: value, with its ratio to tokenmint for the anchors. */
function perContender(values, format, extra = () => '') {
  const tm = values.tokenmint;
  return IDS.map((id) => {
    const v = values[id];
    if (v === undefined) return 'n/a';
    if (typeof v === 'string') return v;
    const r = id === 'tokenmint' ? undefined : ratio(v, tm);
    const notes = [extra(id, v), r && `${r} tokenmint`].filter(Boolean);
    return `${format(v)}${notes.length ? ` (${notes.join(', ')})` : ''}`;
  });
}

const byId = (rows, key) => Object.fromEntries((rows ?? []).map((row) => [row.id, row[key]]));
const failed = (section) => (section?.error ? `error: ${section.error}` : undefined);

function libraryRows(r) {
  const rows = [];
  const row = (label, section, cells, reference) => rows.push([label, ...(failed(section) ? IDS.map(() => failed(section)) : cells()), reference ?? '']);
  const g = r['get-cost'];
  const asyncNs = byId(g?.async, 'nsPerOp');
  const syncNs = byId(g?.sync, 'nsPerOp');
  row(ROWS.libraries[0], g, () => perContender(asyncNs, (v) => dec(v), (id, v) => `${dec(v / asyncNs.floor, 2)}× floor`), `floor: ${dec(asyncNs.floor)} (await of a resolved promise)`);
  row(
    ROWS.libraries[1],
    g,
    () =>
      perContender(
        { tokenmint: syncNs['tokenmint-peek'], badgateway: 'n/a (no synchronous read)', 'o4w-hand': syncNs['o4w-hand-peek'], 'o4w-hand-sf': syncNs['o4w-hand-sf-peek'] },
        (v) => dec(v),
      ),
    `floor: ${dec(syncNs['floor-sync'])} (a call returning a constant)`,
  );
  const h = r.herd;
  const herdUp = byId(h?.rows, 'upstream');
  const herdTokens = byId(h?.rows, 'distinctTokens');
  row(ROWS.libraries[2], h, () => perContender(herdUp, int, (id) => (herdTokens[id] > 1 ? `${int(herdTokens[id])} different tokens` : '')), 'ideal: 1');
  const l = r['refresh-load'];
  const waited = byId(l?.rows, 'waited');
  const calls = byId(l?.rows, 'calls');
  row(ROWS.libraries[3], l, () => IDS.map((id) => `${int(waited[id])} of ${int(calls[id])}`), l?.params ? `${l.params.lifetimes} lifetimes of ${l.params.lifetimeS} s, ${1000 / l.params.intervalMs} get()/s, ${l.params.latencyMs} ms upstream` : '');
  row(ROWS.libraries[4], l, () => IDS.map((id) => l.rows.find((x) => x.id === id)).map((x) => (x ? `${dec(x.p50, 0)} / ${dec(x.p99, 0)} / ${dec(x.max, 0)}` : '–')), 'virtual time (bench/lib/sim.mjs)');
  row(ROWS.libraries[5], l, () => perContender(byId(l?.rows, 'upstream'), int), late(l?.rows, (x) => `${int(x.upstream)} requests, ${int(x.waited)} calls waited`));
  const q = r['requests-per-hour'];
  row(ROWS.libraries[6], q, () => perContender(byId(q?.busy?.rows, 'steadyPerHour'), (v) => dec(v, 2)), q?.params ? `one get()/s for ${q.params.hours} h; hours 2–${q.params.hours} (hour 1 has the cold start). ${late(q.busy?.rows, (x) => `${dec(x.steadyPerHour, 2)}/h`)}` : '');
  row(ROWS.libraries[7], q, () => perContender(byId(q?.idle?.rows, 'total'), int), q?.params ? `one get() at 0 s, then none for ${q.params.hours} h` : '');
  const s = r.scale;
  const bytes = byId(s?.rows, 'bytesPerSource');
  row(ROWS.libraries[8], s, () => perContender(bytes, int, (id) => (id === 'tokenmint' && Number.isFinite(s.tokenmintFlowBytes) ? `flow object alone: ${int(s.tokenmintFlowBytes)}` : '')), s?.params ? `${int(s.params.n)} sources, heap delta / N after gc()` : '');
  row(ROWS.libraries[9], s, () => IDS.map((id) => {
    const x = s.rows.find((y) => y.id === id);
    return x === undefined ? '–' : `${int(x.timersAlive)}${x.timersByClock !== undefined ? ` (its clock counts ${int(x.timersByClock)})` : ''}`;
  }), s?.params ? `with ${int(s.params.n)} sources` : '');
  row(ROWS.libraries[10], s, () => perContender(byId(s?.rows, 'setupUsPerSource'), (v) => dec(v, 0), (id) => (id === 'tokenmint' && Number.isFinite(s.tokenmintFlowUs) ? `creating the flow alone: ${dec(s.tokenmintFlowUs, 0)}` : '')), 'wall time of the scale setup / N, same emulator, batches of 1,000 concurrent');
  return rows;
}

/** tokenmint tuned to refresh late (not a contender), for the gap notes. */
function lateNote(rows, format) {
  const x = rows?.find((y) => y.id === 'tokenmint-late');
  return x ? `with \`refresh: { ratio: 0.95, jitter: 0.02, margin: 10_000 }\` tokenmint made ${format(x)}` : 'a later refresh point (`refresh.ratio`, `refresh.margin`) trades requests for retry time';
}

/** The reference-column note for tokenmint tuned to refresh late (not a contender). */
function late(rows, format) {
  const x = rows?.find((y) => y.id === 'tokenmint-late');
  return x ? `${x.label}: ${format(x)}` : '';
}

function workerRows(r) {
  const w = r.worker;
  if (w?.error) return ROWS.worker.map((label) => [label, `not available: ${clip(w.error.split('\n')[0])}`, '', '', '', '', '']);
  const hello = w.rows.find((x) => x.id === 'hello');
  return ROWS.worker.map((label, i) => {
    const x = w.rows.find((y) => y.id === ['hello', 'session', 'upstream'][i]);
    if (x === undefined) return [label, 'not available: no such row', '', '', '', '', ''];
    const name = x.label.startsWith(label) ? x.label : label; // with the discovered profile name
    if (x.notAvailable) return [name, `not available: ${clip(x.notAvailable)}`, '', '', '', '', ''];
    return [`${name}${x.rounds ? ` — rounds: ${x.rounds.map(int).join(', ')} req/s` : ''}`, int(x.rps), x.id === 'hello' ? '1.00×' : (ratio(x.rps, hello?.rps) ?? '–'), dec(x.p50, 0), dec(x.p99, 0), dec(x.max, 0), `${int(x.non2xx)} / ${int(x.errors)}`];
  });
}

/** The proxy's latency rows (bench/proxy/overhead.mjs); the budgeted one says whether it holds. */
function proxyRows(r) {
  const p = r.proxy;
  if (p === undefined || p.error) return ROWS.proxy.map((label) => [label, p === undefined ? 'not run' : `error: ${clip(p.error.split('\n')[0])}`, '']);
  const verdict = r.quick ? 'budget not enforced (--quick)' : p.addedOverDirectMs <= p.budgetMs ? 'within budget' : 'OVER BUDGET';
  const figures = [
    [p.directMedianMs, ''],
    [p.proxiedMedianMs, ''],
    [p.addedOverDirectMs, `budget ≤ ${dec(p.budgetMs, 1)} ms: ${verdict}`],
    [p.proxyOwnMs, ''],
    [p.workerHopMs, ''],
    [p.miniflareOutboundMs, 'a deployed Worker has no such hop'],
  ];
  return ROWS.proxy.map((label, i) => [label, dec(figures[i][0], 3), figures[i][1]]);
}

function sizeRows(r) {
  const rows = r.sizes?.rows ?? [];
  const core = rows.find((x) => x.id === 'core');
  return ROWS.sizes.map((label, i) => {
    const x = rows[i];
    if (x === undefined) return [label, 'missing', '', '', '', ''];
    if (x.error) return [label, `error: ${x.error}`, '', '', '', ''];
    if (x.notYet) return [label, 'not yet', '', '', budgetText(x.budget), ''];
    const verdict = !x.budget
      ? ''
      : x.budget.kind === 'target'
        ? x.gzip < x.budget.bytes
          ? 'target met'
          : `target NOT met (${int(x.gzip - x.budget.bytes)} B over; ceiling ≤ ${int(x.budget.ceiling)} B ${x.gzip <= x.budget.ceiling ? 'held' : 'BROKEN'})`
        : x.gzip <= x.budget.bytes
          ? 'within budget'
          : 'OVER BUDGET';
    return [label, int(x.raw), int(x.gzip), x.id === 'core' ? '1.00×' : (ratio(x.gzip, core?.gzip) ?? '–'), budgetText(x.budget), verdict];
  });
}

const budgetText = (b) => (!b ? '' : b.kind === 'target' ? `target < ${int(b.bytes)} (reported); ceiling ≤ ${int(b.ceiling)} (enforced by npm test)` : `≤ ${int(b.bytes)} (enforced by npm test)`);

/** Where tokenmint is behind the best anchor on a lower-is-better figure (beyond 5 % noise). */
function behind(values) {
  const tm = values.tokenmint;
  const anchors = IDS.slice(1).map((id) => [id, values[id]]).filter(([, v]) => typeof v === 'number' && Number.isFinite(v));
  if (!Number.isFinite(tm) || anchors.length === 0) return undefined;
  const [bestId, best] = anchors.reduce((a, b) => (b[1] < a[1] ? b : a));
  return tm > best * 1.05 + 1e-9 && tm - best >= 0.5 ? { tm, best, bestId, label: HEADERS[IDS.indexOf(bestId)] } : undefined;
}

function gaps(r) {
  const out = [];
  const g = r['get-cost'];
  const scale = r.scale;
  const q = r['requests-per-hour'];
  const l = r['refresh-load'];
  const add = (title, values, why, fmt = (v) => dec(v, 0)) => {
    const b = behind(values);
    if (b) out.push(`- **${title}**: tokenmint ${fmt(b.tm)} vs ${fmt(b.best)} for ${b.label}. ${why}`);
  };
  if (!g?.error) {
    const a = byId(g.async, 'nsPerOp');
    add('cached get()', a, "On a hit `get()` reads a plain `disposed` flag, the store's injectable clock (`clock.now()`, an indirect call to `Date.now()`), the source's usable-until and due times, and writes its last-use time (idle detection), before returning its one pre-resolved promise; the budget (≤ 1.1× the hand-written cache) fails the run when that grows. What would close the rest: skip the last-use write when the value has not moved by a coarse step (it only feeds the idle check).", (v) => `${dec(v)} ns`);
    const s = byId(g.sync, 'nsPerOp');
    add(
      'peek()',
      { tokenmint: s['tokenmint-peek'], 'o4w-hand': s['o4w-hand-peek'], 'o4w-hand-sf': s['o4w-hand-sf-peek'] },
      "Both read the time once; tokenmint does it through the store's injectable clock (`clock.now()`, an arrow function around `Date.now()`) and reads the source's usable-until time from the store's times array; the hand cache calls `Date.now()` on a closure variable. The difference is the indirection, not the work: an injectable clock is what lets every other bench here run on simulated time.",
      (v) => `${dec(v)} ns`,
    );
  }
  if (!r.herd?.error) add('thundering herd', byId(r.herd.rows, 'upstream'), 'tokenmint shares one request per source among concurrent callers; more than one here would be a bug.', int);
  if (!l?.error) {
    add('calls that waited under load', byId(l.rows, 'waited'), 'tokenmint refreshes before expiry from its timer; a caller should only wait on a cold start.', int);
    add(
      'upstream requests during the refresh-under-load run',
      byId(l.rows, 'upstream'),
      `The price of never making a caller wait: tokenmint refreshes at 75–80 % of each lifetime (default \`refresh.ratio\` 0.8 minus up to 0.05 jitter, and never later than \`refresh.margin\` = 60 s before expiry), so a token is replaced after ~${dec(l.params.lifetimeS * 0.775, 0)} s instead of ${l.params.lifetimeS} s — about 1/0.775 ≈ 1.29× the requests of a cache that refreshes at expiry. The lazy anchors pay instead with the callers that waited (row above). What would close it is a setting, not code: ${lateNote(l.rows, (x) => `${int(x.upstream)} requests and ${int(x.waited)} calls waited in this same run`)} — fewer requests than the single-flight hand cache, still no caller waiting, at the cost of less time to retry a failed refresh before expiry (the margin must shrink too: the default 60 s margin alone caps a 300 s token at 80 %). The defaults keep the retry headroom.`,
      int,
    );
  }
  if (!q?.error) {
    add('upstream requests per hour (busy)', byId(q.busy.rows, 'steadyPerHour'), `Same cause as above: with 900 s tokens tokenmint refreshes every ~675–720 s (≈ 5.1 requests/h) where a lazy cache refreshes every 900 s (4/h). \`refresh.ratio\`/\`jitter\`/\`margin\` move this trade-off: ${lateNote(q.busy.rows, (x) => `${dec(x.steadyPerHour, 2)} requests/h`)} in this run.`, (v) => dec(v, 2));
    add(
      'upstream requests in 24 h (idle)',
      byId(q.idle.rows, 'total'),
      'After its last use, a tokenmint source still refreshes once at ~80 % of the lifetime: it only stops when it has been unused for `refresh.idleAfter` (15 min) *and* a whole token lifetime, so a source used once costs one extra request before it goes quiet. The lazy caches never call the upstream without a caller. What would close it: a smaller `refresh.idleAfter`, or (a src/core change) skipping the proactive refresh when the source was not used since the current token arrived.',
      int,
    );
  }
  if (!scale?.error) {
    const bytes = byId(scale.rows, 'bytesPerSource');
    add(
      'heap per cached source',
      bytes,
      `tokenmint keeps, per source: the flow (${int(scale.tokenmintFlowBytes)} B of the ${int(bytes.tokenmint)}, measured alone in the same run: one OAuthFlow object, its cache key — one flat string of ~100 characters — and its form, one flat string), the store's \`Source\` (the token, the pre-resolved promise that makes cache hits allocation-free, lifetime and failure count), three doubles in the store's times array, a Map entry and two slots of the schedule's heap arrays; the rest of the figure is the emulator's record of the token it issued, which every contender pays. The anchors keep a client object and a token, and do without what the store's state buys (allocation-free hits, proactive refresh from one timer, retry while the token is valid). What would close more of it (src/core): a shorter key (its digest is 32 hex characters; the readable part repeats the token URL and client id each flow already holds).`,
      int,
    );
    add(
      'CPU to create a source and fetch its first token',
      byId(scale.rows, 'setupUsPerSource'),
      `A cold path (once per token, never on a cache hit), measured as the scale bench's setup time. Creating the flow is ${dec(scale.tokenmintFlowUs, 0)} µs of it (URL parsing, options checks, and the JS SHA-256 of its cache key in src/core/sha256.ts). A CPU profile of the rest (30,000 cold sources through the same emulator, taken for issue 14) showed a third of the time in garbage collection and, as the largest single avoidable item, the attempt's \`finally\` in src/core/http.ts: \`controller.abort()\` runs after every successful attempt, which creates a DOMException with a stack trace and dispatches abort events through the signal undici's Request follows; each attempt also allocates an AbortController, a listener on the store's signal, a timeout timer and a race promise. What would close it (src/core): arm the per-attempt timeout on the store's one timer instead of a timer per attempt, and hash keys with WebCrypto (which needs lazily computed keys). Aborting only when the body was not read to the end was tried and reverted: undici then frees the listeners it hangs on the signal through finalizers, so memory is released late and the soak's heap reading stops being deterministic.`,
      (v) => `${dec(v, 0)} µs`,
    );
    const timers = byId(scale.rows, 'timersAlive');
    add('timers alive', timers, 'tokenmint refreshes proactively, which needs a timer: one for the whole store (a min-heap of due times), however many sources — unref\'d, cleared by `dispose()`. The lazy anchors need none because no refresh happens without a caller (badgateway\'s OAuth2Fetch arms one timer per wrapper only when a token carries a refresh_token, which client_credentials tokens do not). Nothing to close: it is the mechanism that keeps callers from waiting.', int);
  }
  const sizes = r.sizes?.rows ?? [];
  const core = sizes.find((x) => x.id === 'core');
  const anchorSizes = Object.fromEntries(sizes.filter((x) => ['o4w', 'o4w-hand', 'badgateway'].includes(x.id) && Number.isFinite(x.gzip)).map((x) => [x.id, x]));
  const smaller = Object.values(anchorSizes).filter((x) => core && x.gzip < core.gzip);
  if (core && Number.isFinite(core.gzip) && smaller.length > 0) {
    out.push(
      `- **bundle size**: the core client_credentials program is ${int(core.gzip)} B gzip (${int(core.raw)} B minified), against ${smaller.map((x) => `${int(x.gzip)} B for ${x.label}`).join(', ')}; the 5,052 B target (issue 16) is not met, and \`npm test\` holds the ceiling at the figure reached. It buys proactive refresh from one timer, single-flight, retry with backoff and Retry-After, a failed refresh that keeps the valid token, typed errors with redaction, a per-attempt timeout and a body size cap, and a hand-written strict check of every token response (no valibot on this path). The largest modules, minified: ${core.modules?.slice(0, 4).map((m) => `${m.path.replace(/^.*node_modules\//, '')} ${int(m.bytes)} B`).join(', ')}. What would close it (src/core): flow keys without the bundled synchronous SHA-256 (src/core/sha256.ts, ~550 B gzip of the program) — which needs the mint Worker's Durable Object coordination, which names objects by flow key in every isolate and in storage, keyed another way (by profile, with a WebCrypto digest of its configuration) — and then a store and HTTP helper written for size rather than clarity (each ~1.2–1.8 KB gzip of unique logic). badgateway is smaller because it validates almost nothing (it trusts \`expires_in\`, has no timeout, no retry, no size cap), oauth4webapi because it caches and retries nothing.`,
    );
  }
  return out;
}

// What each change of issue 16 bought, as measured when it was made (the commit messages carry the same
// figures). Not figures of this run: the tables above are.
const ISSUE_16 = `### What issue 16's changes bought

Measured while each change was made, on this same 2-core machine (its load varied). Heap "alone" is tokenmint
without the anchors, 20,000 sources, same method as bench 5; "bench 5" is the scale section at 100,000.

| change | core program, gzip B | widget, gzip B | heap per source | cached get() |
|:---|---:|---:|---:|---:|
| before (issue 16 as filed; BENCHMARKS.md of 2026-11-21 for the heap) | 7,318 | 6,055 | 1,960 (bench 5); 1,983 alone | 128 vs 80 ns for the hand cache (1.6×), quiet machine |
| the store's state in closure variables, its sources a class declared there: a hit reads a plain \`disposed\` flag, not the AbortSignal getter; the schedule's heap in parallel arrays (no entry objects) | −142 | | | same here: both about 0.8× the hand cache |
| flows are class instances; client_credentials keeps its form encoded, no request closure, no identity arrays; the token URL is the caller's string; a token's scope in its literal | +174 | | 1,165 alone; flow 1,057 → 417 | |
| the HTTP attempt as one closure; TokenError assigns its fields at once; rarely-set flow options in one field; lifetime as whole ms; the form as one flat string (URLSearchParams builds a rope whose pieces V8 keeps) | −81 | | 1,099 alone; flow 417 → 288 | |
| bench 5 turns the event loop with a timer, so FinalizationRegistry cleanups run before the heap is read (a measurement fix, every contender) | | | 1,340 → 1,286 (bench 5) | |
| a source's due time doubles as the schedule's validity check (no tag field, no tag array) | −54 | | 2 fields fewer (not measured alone) | |
| bench harness: tokenmint's and badgateway's wrappers are their own methods, bound (a measurement fix) | | | 1,223 → 1,046 (bench 5) | |
| SHA-256 written compactly (same digests) | −107 | | | |
| each source's three times in one Float64Array of the store (unboxed, not three heap numbers) | +108 | +101 (5,807 before it) | 1,017 alone; 982 (bench 5) | 0.88× (get() call alone: 61–68 ns before and after) |
| **after** | **7,216** (target 5,052 not met) | **5,908** (target 4,096 not met) | **982** (budget 1,024 held) | **≤ 1.1× enforced** |

The cached \`get()\`'s 1.6× was not reproduced here: the base commit and this branch, run interleaved in the same minutes,
both took 0.78–0.90× the hand cache's time (\`Date.now()\` is most of either). The budget now fails a full run if that
ratio passes 1.1×.`;

/** @returns {{ markdown: string, table: string, failures: string[] }} */
export function renderReport(r) {
  const failures = [];
  for (const name of ['get-cost', 'herd', 'refresh-load', 'requests-per-hour', 'scale']) if (r[name]?.error) failures.push(`${name}: ${r[name].error}`);
  for (const x of r.sizes?.rows ?? []) if (x.error) failures.push(`size ${x.id}: ${x.error}`);
  if (r.proxy?.error) failures.push(`proxy: ${r.proxy.error}`);
  else if (!r.quick && r.proxy !== undefined && r.proxy.addedOverDirectMs > r.proxy.budgetMs) failures.push(`proxy: adds ${r.proxy.addedOverDirectMs} ms over the direct call (median), budget ${r.proxy.budgetMs} ms`);
  // A bundle over its budget shows as OVER BUDGET in the table; tests/node/bundle-budgets.test.ts fails on it.
  // The speed and memory budgets fail a full run here (bench/lib/budgets.mjs).
  failures.push(...budgetFailures(r));
  const budgets = table(
    ['budget (issue 16)', 'this run', 'budget', 'verdict'],
    budgetChecks(r).map((c) => [c.label, c.unit === '×' ? `${dec(c.value, 2)}×` : `${int(c.value)} B`, c.unit === '×' ? `≤ ${dec(c.budget, 2)}×` : `≤ ${int(c.budget)} B`, c.held ? 'held' : r.quick ? 'NOT held (quick run: reported only)' : 'NOT held: the run fails']),
  );

  const libraries = table(['bench', ...HEADERS, 'reference'], libraryRows(r));
  const workers = table(['Worker under wrangler dev (127.0.0.1)', 'req/s', 'vs hello', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx / errors'], workerRows(r));
  const sizes = table(['bundle (esbuild, minified)', 'min B', 'gzip B', 'vs core', 'budget (gzip B)', 'verdict'], sizeRows(r));
  const proxy = table([`proxy latency, ${int(r.proxy?.rounds)} rounds in one workerd (Miniflare)`, 'ms', 'note'], proxyRows(r));
  const m = r.machine;
  const machineLine = `${m.nproc} CPUs (nproc), ${m.cpu}, ${dec(m.memoryGiB, 1)} GiB memory, Node ${m.node}, ${m.os}`;
  const printed = [`tokenmint benchmarks — ${r.date} — ${machineLine}`, `command: ${r.command} (${dec(r.totalSeconds, 1)} s)`, '', libraries, '', budgets, '', workers, '', sizes, '', proxy].join('\n');
  const behindList = gaps(r);
  const w = r.worker;
  const sectionTimes = ['get-cost', 'herd', 'refresh-load', 'requests-per-hour', 'scale', 'worker', 'proxy'].map((name) => `${name} ${dec(r[name]?.seconds, 1)} s`).join(', ');

  const markdown = `# Benchmarks

Written by \`${r.command}\` on ${r.date.slice(0, 10)} — regenerate with \`npm run bench\` (about 2 minutes on 2 cores;
\`npm run bench -- --quick\` runs every bench in a few seconds, for CI, and writes \`bench/results/quick.md\` instead).
These are benchmarks, not timed tests: \`npm run test:slow\` only checks that they run (tests/slow/bench-smoke.test.ts)
and \`npm test\` that the bundle budgets hold (tests/node/size.test.ts, tests/node/bundle-budgets.test.ts); a full
\`npm run bench\` fails when a speed or memory budget breaks (bench/lib/budgets.mjs).

- **Machine**: ${machineLine}; 1-minute load average ${dec(m.loadAtStart, 2)} at the start, ${dec(m.loadAtEnd, 2)} at the end
  (above 0 means other work shared the cores: absolute ns and req/s move with it, the ratios much less, counts not at all)
- **Command**: \`${r.command}\` — ${dec(r.totalSeconds, 1)} s in all (${sectionTimes})
- **Date**: ${r.date}
- **Contenders**, each used the way its documentation says to get a cached client_credentials token, all against the
  same upstream (the emulator's \`/oauth2/token\`, demo client, \`client_secret_basic\`, the same form):
${r.contenders.map((c) => `  - ${c.label} — refresh: ${c.refresh}`).join('\n')}

## Libraries side by side

Lower is better everywhere. In parentheses: the ratio to tokenmint (anchors) or to the floor.

${libraries}

### Budgets

Enforced by a full \`npm run bench\` (bench/lib/budgets.mjs): a figure over its budget fails the run.

${budgets}

${ISSUE_16}

## The mint Worker

${workers}

## Bundle sizes

${sizes}

## The proxy's latency

${proxy}

Also on its own: \`node bench/proxy/overhead.mjs\` (exit code 1 over the budget; \`BENCH_PROXY_ROUNDS\` sets the rounds).

## Where tokenmint is behind, why, and what would close it

${behindList.length > 0 ? behindList.join('\n') : 'Nowhere in this run.'}

## Method

Every comparison runs in one process run, contenders side by side, each with its own emulator instance of the same
code and settings (so request counts are per contender).

1. **Cached \`get()\`**: each contender first fetches its token (real clock, 1 h tokens, no refresh can fall inside the
   run). Then rounds of ${int(r['get-cost']?.settings?.iterations)} awaited calls, contenders interleaved round by round,
   ${r['get-cost']?.settings?.warmup ?? '–'} warm-up rounds and ${r['get-cost']?.settings?.rounds ?? '–'} measured ones; the
   median round is reported. Each contender's loop is its own compiled function so no call site turns megamorphic.
   The floor is the same loop awaiting an already-resolved promise. \`peek()\` is tokenmint's synchronous read; the hand
   cache's analogue is its synchronous expiry check; OAuth2Fetch has none (its token is private).
2. **Thundering herd**: 10,000 \`get()\` calls issued in one synchronous burst on a cold cache; the emulator answers after
   50 ms (real time). Counted: requests the emulator received, and distinct tokens handed out.
3. **Refresh under load**, in simulated time (\`bench/lib/sim.mjs\`): a virtual clock is tokenmint's \`clock\`, the
   emulator's clock, and \`Date.now\` (the anchors read it directly). The upstream is the emulator behind a 50 ms
   virtual-clock sleep. The driver fires the earliest due virtual timer or issues the next scheduled \`get()\` calls (the
   same instants for every contender), then lets the real event loop run (setImmediate rounds) until nothing is runnable
   — every pending call waits on a virtual timer — before time jumps. So a call answered from memory completes at the
   instant it was made (0 ms) and one that waits on the upstream completes exactly 50 virtual ms later, independent of
   the machine; tokenmint's jitter comes from a seeded PRNG (its \`random\` option), so these runs repeat exactly. ${l0(r)} The cold start (every contender's first call) is excluded. Latencies are virtual: what callers
   would wait on the upstream, not CPU time (that is bench 1).
4. **Upstream requests per hour**: the same simulation with 900 s tokens and default settings; "busy" is one \`get()\` per
   second for the whole virtual day, counted over hours 2–24; "idle" is one \`get()\` at the start and none after.
5. **Scale**: in one process started with \`--expose-gc\`, per contender: heap in use after full collections (a 10 ms timer
   turn of the event loop between them, so FinalizationRegistry cleanups run, repeated until stable), then N sources each with its own scope (so its own cache entry and
   upstream request) and a cached token, then the heap again; the figure is the delta / N, objects kept referenced.
   tokenmint uses one store for all sources, as documented. The harness keeps per source what \`create\` returned:
   for tokenmint and badgateway the library's own methods, bound; the hand caches are closures by nature. Timers alive are counted by wrapping the global
   \`setTimeout\`/\`setInterval\` (any library's timers) and, for tokenmint, also through its injected clock.
6. **Worker**: \`wrangler dev\` on 127.0.0.1 (free port, \`--log-level warn\`, hermetic environment), load from
   autocannon in the bench process: ${w?.params ? `${w.params.connections} connections; both Workers are started first, then each row gets ${w.params.warmupSeconds} s of warm-up and ${w.params.rounds} measured rounds, interleaved (hello, session, upstream, hello, …), ${w.params.seconds} s in all per row. req/s is requests over measured time, p50 the mean of the rounds', p99 and max the worst round's` : 'not run'}.
   The hello-world Worker (\`bench/worker-hello/\`) is started the same way and answers every request with a small JSON
   body without reading it. Profiles are discovered from \`TOKENMINT_CONFIG\` in wrangler.toml (the first profile per mode
   and its first allowed origin). **Asymmetries**: the demo profiles' rate limits would answer 429 after 10–20 requests
   per client, so the bench serves the same config with each profile's \`rateLimit\` at the schema's maxima (burst 1000,
   10,000/min) and without the Cloudflare rate-limiting binding, and spreads requests over ${w?.params?.clientIps ?? 64} client addresses
   (\`CF-Connecting-IP\`, which wrangler dev passes through); every request still runs the whole policy, token bucket
   included. Session mode signs an ES256 JWT per request (the provider token comes from the Worker's TokenStore);
   upstream mode mints a fresh PayPal client token per request from the in-isolate emulator, so its figure includes the
   emulator's work. The load generator, wrangler and workerd share the machine's ${m.nproc} cores. Under wrangler dev every
   request crosses wrangler's local proxy (Node) before workerd; the hello baseline's rate is mostly that path, so the
   ratio says how much the mint's own work adds on top of the dev server, not what a deployed Worker does at the edge.
7. **Bundle sizes**: esbuild, minified ESM, es2022, tree-shaken, dependencies inlined, gzip level 9. Browser programs:
   the core's is \`bench/size/core-client-credentials.ts\` (via scripts/size.mjs), the anchors' are beside it; the widget
   is its whole entry (\`src/widget/index.ts\`). The Worker is wrangler.toml's \`main\` bundled for workerd (platform
   neutral, conditions workerd/worker/browser, \`cloudflare:*\` external) — what wrangler would upload, minified.
   Budgets are gzip bytes: the core's ceiling (tests/node/size.test.ts), the widget's and the Worker's
   (tests/node/bundle-budgets.test.ts, tests/node/worker-deploy.test.ts) are enforced by \`npm test\`; the core's 5,052 B
   target is reported.
8. **Proxy latency** (\`bench/proxy/overhead.mjs\`): one Miniflare (one workerd) runs the PayPal emulator's worker, the mint
   Worker with the proxy (\`bench/proxy/mint-entry.ts\`, a session profile allowed \`POST /echo\`) and two bare Workers that
   only forward. The same client (\`dispatchFetch\` from this process), headers (Origin, \`Authorization: Bearer\`,
   Content-Type) and small JSON order body go four ways, interleaved call by call with a rotating order after a warm-up, each
   response read to its end: **direct** to the emulator's \`/paypal/echo\` (a server token fetched beforehand);
   **proxied** through \`/v1/proxy/bench/echo\` (Origin, rate limit, session token, allow-list, body cap, server token from
   the Worker's store, response streamed back under its cap); through a **bare Worker** that forwards the request
   unchecked by the same route; and that bare Worker again through its global \`fetch()\`. Figures are medians over the
   rounds of the per-round differences. The mint Worker and the first bare Worker reach the emulator through a service
   binding: under Miniflare a Worker's global \`fetch()\` first passes through Miniflare's own outbound worker (a
   JavaScript worker that rewrites headers), which a deployed Worker does not have and the direct call does not cross;
   its cost is the last row. The budget (≤ 1 ms added over direct) is enforced on full runs: \`npm run bench\` fails above it.

Other asymmetries, stated: the hand caches treat a token as expired 5 s early (tokenmint's default \`refresh.leeway\` is
also 5 s); OAuth2Fetch uses the token until its exact expiry. The single-flight hand cache is not one of the anchors the
issue names: it is there to show what a careful user's cache does (no herd) and still does not (callers wait at expiry).
tokenmint's upstream path does more per request than the anchors' (per-attempt timeout timer, abort wiring, a capped
body reader, a strict response check); bench 5's last row shows what that costs in CPU per cold source.
`;
  return { markdown, table: printed, failures };
}

function l0(r) {
  const p = r['refresh-load']?.params;
  return p ? `Here: ${p.lifetimes} token lifetimes of ${p.lifetimeS} s (${dec(p.virtualHours, 1)} virtual hours), one \`get()\` per contender every ${p.intervalMs} ms, run in ${dec((r['refresh-load'].wallMs ?? NaN) / 1000, 1)} s of real time.` : '';
}
