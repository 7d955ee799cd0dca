// Targets and the printed report. Pure functions of the results object, which is also written as JSON.

export const TARGETS = {
  batchEventsPerS: 100_000,
  batchVsCopy: 0.4,
  trackEventsPerS: 25_000,
  trackVsNaive: 5,
  trackVsBare: 0.4,
  maxRssMB: 200,
};

/**
 * Every target, per mode, as `{mode, check, value, shown, target, met}`. A figure that could not be
 * measured (a crash, a skipped phase) is `met: false` with value null.
 */
export function evaluateTargets(results) {
  const { bare, naive, copy } = results.baselines;
  const rows = [];
  for (const [mode, m] of Object.entries(results.modes)) {
    const batch = m.bestBatch?.eventsPerS ?? null;
    const track = m.track?.eventsPerS ?? null;
    const add = (check, value, shown, target, met) => rows.push({ mode, check, value, shown: value === null ? 'n/a' : shown, target, met: value !== null && met });
    add(`/v1/batch events/s (best: c${m.bestBatch?.connections ?? '?'})`, batch, int(batch), `>= ${int(TARGETS.batchEventsPerS)}`, batch >= TARGETS.batchEventsPerS);
    const vsCopy = ratio(batch, copy?.rowsPerS);
    add('/v1/batch / raw COPY rows/s', vsCopy, pct(vsCopy), `>= ${pct(TARGETS.batchVsCopy)}`, vsCopy >= TARGETS.batchVsCopy);
    add('/v1/track events/s', track, int(track), `>= ${int(TARGETS.trackEventsPerS)}`, track >= TARGETS.trackEventsPerS);
    const vsNaive = ratio(track, naive?.track?.eventsPerS);
    add('/v1/track / naive INSERT', vsNaive, times(vsNaive), `>= ${times(TARGETS.trackVsNaive)}`, vsNaive >= TARGETS.trackVsNaive);
    const vsBare = ratio(track, bare?.track?.eventsPerS);
    add('/v1/track / bare node:http', vsBare, pct(vsBare), `>= ${pct(TARGETS.trackVsBare)}`, vsBare >= TARGETS.trackVsBare);
    const rss = m.maxRssMB ?? null;
    add('server max RSS (500 ms samples)', rss, `${fixed(rss, 1)} MB`, `<= ${TARGETS.maxRssMB} MB`, rss <= TARGETS.maxRssMB);
  }
  return rows;
}

/** The whole human-readable report. */
export function renderReport(results) {
  const out = [];
  const { meta, baselines, modes } = results;
  out.push('');
  out.push(`Volcanion Tracking ingestion benchmark — ${meta.startedAt}`);
  out.push(
    `node ${meta.node}, ${meta.cpus} CPU(s), PostgreSQL ${meta.postgresVersion}; each phase ${meta.warmupS} s warm-up + ` +
      `${meta.measureS} s measured; load generator: autocannon in the bench process (same machine)`,
  );
  out.push('');
  out.push('Throughput and latency (measured runs; rates count 2xx responses only; latency of 2xx responses)');
  out.push(renderPhaseTable(results));
  out.push('  max RSS MB: per phase, warm-up included. events/commit: stored events of the measured run / distinct');
  out.push('  inserting transactions (xmin), i.e. how well group commit coalesced concurrent requests.');
  for (const [mode, m] of Object.entries(modes)) {
    if (m.startRssMB !== undefined) out.push(`  server (${mode}) RSS: ${fixed(m.startRssMB, 1)} MB right after start, max ${fixed(m.maxRssMB, 1)} MB sampled, VmHWM ${m.peakRssMB === null ? 'n/a (process gone)' : `${fixed(m.peakRssMB, 1)} MB`}`);
  }
  if (baselines.copy) {
    const c = baselines.copy;
    out.push('');
    out.push(`raw COPY: ${int(c.rows)} rows (${int(c.stored)} stored) in ${fixed(c.seconds, 2)} s = ${int(c.rowsPerS)} rows/s ` + '(bench_copy mirrors write_model.tracking_events, same indexes; one COPY, text generated on the fly)');
  }
  out.push('');
  out.push('Targets');
  out.push(
    table(
      ['mode', 'check', 'measured', 'target', 'status'],
      results.targets.map((t) => [t.mode, t.check, t.shown, t.target, t.met ? 'MET' : 'NOT MET']),
      [false, false, true, false, false],
    ),
  );
  out.push('');
  out.push('Stored == acknowledged');
  for (const [mode, m] of Object.entries(modes)) out.push(`  ${mode.padEnd(9)} ${m.integrity?.line ?? 'not checked'}`);
  if (baselines.naive?.storedRows !== undefined) {
    out.push(`  naive     bench_naive holds ${int(baselines.naive.storedRows)} rows; ${int(baselines.naive.ackedEvents)} acknowledged (informational)`);
  }
  out.push('');
  out.push('Anomalies');
  if (results.anomalies.length === 0) out.push('  none');
  for (const a of results.anomalies) out.push(`  - ${a}`);
  out.push('');
  out.push(results.failures.length === 0 ? 'Result: no crash, no count mismatch (exit 0)' : `Result: FAILED (exit 1): ${results.failures.join('; ')}`);
  return out.join('\n');
}

function renderPhaseTable(results) {
  const rows = [];
  const push = (who, p, rss) => {
    if (!p) return;
    if (p.aborted) {
      rows.push([who, p.label, 'aborted', '', '', '', '', '', '', '', '']);
      return;
    }
    const perCommit = p.eventsPerCommit === undefined ? '' : fixed(p.eventsPerCommit, 1);
    rows.push([who, p.label, int(p.eventsPerS), int(p.requestsPerS), fixed(p.p50Ms, 1), fixed(p.p99Ms, 1), int(p.non2xx), int(p.errors), int(p.timeouts), rss === undefined ? '' : fixed(rss, 1), perCommit]);
  };
  const { bare, naive } = results.baselines;
  push('bare node:http', bare?.track, bare?.track?.rssMB);
  for (const p of bare?.batch ?? []) push('bare node:http', p, p.rssMB);
  push('naive INSERT', naive?.track, naive?.track?.rssMB);
  for (const [mode, m] of Object.entries(results.modes)) for (const p of m.phases) push(`ours (${mode})`, p, p.rssMB);
  return table(
    ['target', 'load', 'events/s', 'req/s', 'p50 ms', 'p99 ms', 'non2xx', 'errors', 'timeouts', 'max RSS MB', 'events/commit'],
    rows,
    [false, false, true, true, true, true, true, true, true, true, true],
  );
}

/** A plain-text table; `rightAlign[i]` right-aligns column i (numbers). */
export function table(headers, rows, rightAlign = []) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => '  ' + cells.map((c, i) => (rightAlign[i] ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ');
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function phaseLabel(payload, connections) {
  return `${payload.path} c${connections} x${payload.events}`;
}

function ratio(a, b) {
  return a === null || a === undefined || !b ? null : a / b;
}
function int(n) {
  return n === null || n === undefined ? 'n/a' : Math.round(n).toLocaleString('en-US');
}
function fixed(n, digits) {
  return n === null || n === undefined ? 'n/a' : n.toFixed(digits);
}
function pct(n) {
  return n === null ? 'n/a' : `${(n * 100).toFixed(1)} %`;
}
function times(n) {
  return n === null ? 'n/a' : `${n.toFixed(2)}x`;
}
