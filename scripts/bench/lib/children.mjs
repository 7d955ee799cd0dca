// Child processes of the benchmark: spawning, readiness, tails of their output, RSS sampling, stopping.
// Every child is registered in `live` so the main script can kill them all on exit, SIGINT or a crash.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const TAIL_LINES = 40;
const live = new Set();

/** Kills every child still running. Synchronous, so it also works inside process.on('exit'). */
export function killAllChildren(signal = 'SIGKILL') {
  for (const child of live) {
    try {
      child.proc.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** True while at least one child is still running. */
export function anyChildAlive() {
  return live.size > 0;
}

/**
 * Starts `node script ...args` and resolves once a stdout line contains `listening on http://…`.
 * Rejects (after killing the child) if it exits first or is not ready within `readyTimeoutMs`.
 */
export async function startChild(name, script, args, { cwd, env, readyTimeoutMs = 30_000 } = {}) {
  const proc = spawn(process.execPath, [script, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child = { name, proc, pid: proc.pid, url: null, stdoutTail: [], stderrTail: [], stderrLines: 0, exit: null, stopping: false };
  live.add(child);
  child.exited = new Promise((resolve) => {
    const done = (exit) => {
      if (child.exit) return;
      child.exit = exit;
      live.delete(child);
      resolve(exit);
    };
    proc.once('exit', (code, signal) => done({ code, signal }));
    // A spawn failure emits 'error' and possibly no 'exit'.
    proc.once('error', (error) => done({ code: null, signal: null, error: error.message }));
  });

  // Keep reading both pipes for the whole life of the child: a full pipe would block its writes.
  createInterface({ input: proc.stderr }).on('line', (line) => {
    child.stderrLines++;
    pushTail(child.stderrTail, line);
  });
  const stdout = createInterface({ input: proc.stdout });
  stdout.on('line', (line) => pushTail(child.stdoutTail, line));

  try {
    child.url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} was not ready after ${readyTimeoutMs} ms`)), readyTimeoutMs);
      stdout.on('line', (line) => {
        const match = /listening on (http:\/\/\S+)/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.exited.then((exit) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited before it was ready (${describeExit(exit)}); stderr: ${child.stderrTail.slice(-5).join(' | ')}`));
      });
    });
  } catch (error) {
    await stopChild(child, 5_000);
    throw error;
  }
  return child;
}

/** True when the child died without us asking it to stop. */
export function crashed(child) {
  return child.exit !== null && !child.stopping;
}

/**
 * SIGTERM, then SIGKILL after `timeoutMs`. Resolves with `{code, signal, forced, ms}`; a graceful stop
 * matters for PGlite, whose data directory is only consistent after the server closed it.
 */
export async function stopChild(child, timeoutMs = 20_000) {
  const started = Date.now();
  if (child.exit) return { ...child.exit, forced: false, ms: 0 };
  child.stopping = true;
  child.proc.kill('SIGTERM');
  let timer;
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const first = await Promise.race([child.exited, timedOut]);
  clearTimeout(timer);
  if (first !== 'timeout') return { ...first, forced: false, ms: Date.now() - started };
  child.proc.kill('SIGKILL');
  const exit = await child.exited;
  return { ...exit, forced: true, ms: Date.now() - started };
}

export function describeExit(exit) {
  if (!exit) return 'running';
  if (exit.error) return `spawn error: ${exit.error}`;
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

/**
 * Samples VmRSS of `pid` every `intervalMs` from /proc. `takePhaseMaxMB()` returns the maximum since the
 * previous call (per-phase figure); `maxMB` is the maximum over the whole life of the sampler.
 */
export function sampleRss(pid, intervalMs = 500) {
  let maxKb = 0;
  let phaseMaxKb = 0;
  let samples = 0;
  const read = () => {
    const kb = readStatusKb(pid, 'VmRSS');
    if (kb === null) return;
    samples++;
    maxKb = Math.max(maxKb, kb);
    phaseMaxKb = Math.max(phaseMaxKb, kb);
  };
  read();
  const initialKb = maxKb;
  const timer = setInterval(read, intervalMs);
  return {
    /** RSS when sampling started (for the server: idle, right after it became ready). */
    initialMB: initialKb / 1024,
    get maxMB() {
      return maxKb / 1024;
    },
    get samples() {
      return samples;
    },
    takePhaseMaxMB() {
      read();
      const mb = phaseMaxKb / 1024;
      phaseMaxKb = 0;
      return mb;
    },
    /** The kernel's own peak (VmHWM): a cross-check that 500 ms sampling did not miss a spike. */
    peakMB() {
      const kb = readStatusKb(pid, 'VmHWM');
      return kb === null ? null : kb / 1024;
    },
    stop() {
      read();
      clearInterval(timer);
    },
  };
}

function readStatusKb(pid, field) {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null; // the process is gone
  }
}

function pushTail(tail, line) {
  tail.push(line.length > 500 ? `${line.slice(0, 500)}…` : line);
  if (tail.length > TAIL_LINES) tail.shift();
}
