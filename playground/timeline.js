// The live token timeline, drawn as SVG: one lane per widget and one for the emulated provider.
// "now" sits at 80% of the width, so the current token's expiry is visible ahead of it.
// It holds times, kinds and error codes only — never a token.
const NS = 'http://www.w3.org/2000/svg';
const WIDTH = 960;
const LEFT = 160;
const RIGHT = 10;
const TOP = 22;
const LANE = 50;
const AXIS = 24;
const NOW_AT = 0.8;
const KEEP_MS = 11 * 60_000; // the longest window, plus a little
const TICK_S = { 30: 5, 60: 10, 180: 30, 600: 60 };

function el(name, attrs, text) {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

const clockTime = (t) => new Date(t).toTimeString().slice(0, 8);
const titled = (node, text) => (node.append(el('title', {}, text)), node);

/** lanes: [{ id, label }]. Returns { token, end, mark, span, closeSpans, setWindow, render }. */
export function createTimeline(svg, lanes) {
  const tokens = []; // { lane, n, from, to, replacedAt? }
  const marks = []; // { lane, kind, at, label? }
  const spans = []; // { from, to, label }
  let windowMs = 60_000;
  const laneY = (id) => TOP + lanes.findIndex((lane) => lane.id === id) * LANE;
  const current = (lane) => tokens.findLast((token) => token.lane === lane && token.replacedAt === undefined);

  // Consecutive tokens of a lane alternate between two rows, so the lifetime one had left when the
  // next replaced it stays visible under the next one's bar.
  const rowY = (lane, n) => laneY(lane) + (n % 2 ? 16 : 32);

  /** Draws one token's bar: in use until replaced or expired, then (lighter) the lifetime it had left. */
  function drawToken(group, token, x, now) {
    const y = rowY(token.lane, token.n);
    const usedTo = Math.min(token.replacedAt ?? Infinity, token.to, now);
    const cls = `bar ${token.lane}`;
    group.append(titled(el('rect', { class: cls, x: x(token.from), y, width: Math.max(1, x(usedTo) - x(token.from)), height: 12, rx: 3 }),
      `token #${token.n}: issued ${clockTime(token.from)}, expires ${clockTime(token.to)}`));
    if (usedTo < token.to) {
      group.append(el('rect', { class: `${cls} ghost`, x: x(usedTo), y: y + 1, width: x(token.to) - x(usedTo), height: 10, rx: 2 }));
    }
    if (x(usedTo) - x(token.from) > 30) group.append(el('text', { class: 'bar-label', x: x(token.from) + 8, y: y + 10 }, `#${token.n}`));
  }

  function drawMark(group, mark, x, lastLabel) {
    const cx = x(mark.at);
    const cy = mark.n === undefined ? laneY(mark.lane) + 30 : rowY(mark.lane, mark.n) + 6;
    const tip = `${mark.kind}${mark.label ? ` ${mark.label}` : ''} at ${clockTime(mark.at)}`;
    let shape;
    if (mark.kind === 'issued' || mark.kind === 'refresh' || mark.kind === 'late') shape = el('circle', { class: `dot ${mark.kind}`, cx, cy, r: 5 });
    else if (mark.kind === 'expired') shape = el('path', { class: 'cross', d: `M${cx - 5},${cy - 5}L${cx + 5},${cy + 5}M${cx + 5},${cy - 5}L${cx - 5},${cy + 5}` });
    else if (mark.kind === 'error' || mark.kind === 'fault') shape = el('path', { class: `tri ${mark.kind}`, d: `M${cx},${cy - 7}L${cx + 6},${cy + 5}L${cx - 6},${cy + 5}Z` });
    else if (mark.kind === 'proxy') shape = el('rect', { class: 'proxy', x: cx - 4, y: cy - 4, width: 8, height: 8, transform: `rotate(45 ${cx} ${cy})` });
    else if (mark.kind === 'server' || mark.kind === 'client') shape = el('line', { class: `tick ${mark.kind}`, x1: cx, x2: cx, y1: cy - 9, y2: cy + 9 });
    else shape = el('line', { class: 'restart', x1: cx, x2: cx, y1: laneY(mark.lane), y2: laneY(mark.lane) + LANE });
    group.append(titled(shape, tip));
    // Labels go on the lane's top line; one that would run into the previous one is left out.
    if (mark.label && (lastLabel.get(mark.lane) ?? -Infinity) < cx) {
      group.append(el('text', { class: `mark-label ${mark.kind}`, x: cx + 3, y: laneY(mark.lane) + 11 }, mark.label));
      lastLabel.set(mark.lane, cx + 3 + mark.label.length * 6.5 + 8); // ~6.5 px per character at 11 px
    }
  }

  function drawAxis(group, start, end, x, bottom) {
    const step = (TICK_S[windowMs / 1000] ?? 10) * 1000;
    for (let t = Math.ceil(start / step) * step; t <= end; t += step) {
      group.append(el('line', { class: 'grid', x1: x(t), x2: x(t), y1: TOP, y2: bottom }));
      if (x(t) < WIDTH - 28) group.append(el('text', { class: 'axis', x: x(t), y: bottom + 15, 'text-anchor': 'middle' }, clockTime(t)));
    }
  }

  return {
    /** A new token in `lane`; the lane's previous token counts as replaced from now on. */
    token(lane, n, from, to) {
      const previous = current(lane);
      if (previous) previous.replacedAt = from;
      tokens.push({ lane, n, from, to });
    },
    /** The lane's widget stopped (restart): its token is no longer in use. */
    end(lane, at) {
      const previous = current(lane);
      if (previous) previous.replacedAt = Math.min(at, previous.to);
    },
    /** A point event; `n` (a token number) puts it on that token's row. */
    mark(lane, kind, at, label, n) {
      marks.push({ lane, kind, at, label, n });
    },
    span(from, to, label) {
      spans.push({ from, to, label });
    },
    /** Ends every outage span still running (faults cleared early). */
    closeSpans(at) {
      for (const span of spans) if (span.to > at) span.to = at;
    },
    setWindow(seconds) {
      windowMs = seconds * 1000;
    },
    render(now) {
      for (const list of [tokens, marks, spans]) {
        while (list.length > 0 && Math.max(list[0].to ?? 0, list[0].at ?? 0) < now - KEEP_MS) list.shift();
      }
      const start = now - windowMs * NOW_AT;
      const end = start + windowMs;
      const plot = WIDTH - LEFT - RIGHT;
      const x = (t) => LEFT + (Math.min(Math.max(t, start), end) - start) / windowMs * plot;
      const bottom = TOP + lanes.length * LANE;
      svg.setAttribute('viewBox', `0 0 ${WIDTH} ${bottom + AXIS}`);
      const group = el('g', {});
      lanes.forEach((lane, i) => {
        group.append(el('rect', { class: `lane ${i % 2 ? 'odd' : 'even'}`, x: LEFT, y: laneY(lane.id), width: plot, height: LANE }));
        group.append(el('text', { class: 'lane-label', x: LEFT - 10, y: laneY(lane.id) + 30, 'text-anchor': 'end' }, lane.label));
      });
      drawAxis(group, start, end, x, bottom);
      for (const span of spans) {
        if (span.to < start || span.from > end) continue;
        group.append(el('rect', { class: 'outage', x: x(span.from), y: TOP, width: Math.max(2, x(span.to) - x(span.from)), height: bottom - TOP }));
        group.append(el('text', { class: 'outage-label', x: x(span.from) + 4, y: TOP - 6 }, span.label));
      }
      for (const token of tokens) if (token.to >= start && token.from <= end) drawToken(group, token, x, now);
      const lastLabel = new Map();
      for (const mark of marks) if (mark.at >= start && mark.at <= end) drawMark(group, mark, x, lastLabel);
      group.append(el('line', { class: 'now', x1: x(now), x2: x(now), y1: TOP - 4, y2: bottom }));
      group.append(el('text', { class: 'now-label', x: x(now), y: TOP - 8, 'text-anchor': 'middle' }, 'now'));
      svg.replaceChildren(group);
    },
  };
}
