#!/usr/bin/env node
// Browser tests for the SPA served by the real backend.
//
//   node tests/e2e/run.mjs            start the backend on a free port (fresh database `shuxuan_e2e`,
//                                     demo world seeded, SPA from frontend/dist), run specs/*.spec.mjs
//                                     with node:test against it, stop the backend.
//   E2E_BASE_URL=http://127.0.0.1:8000 node tests/e2e/run.mjs
//                                     run the specs against a server that is already running.
//   node tests/e2e/run.mjs specs/selection-flow.spec.mjs
//                                     run only the named specs (paths or file names).
//   E2E_DATABASE_NAME=shuxuan_e2e_sel E2E_ARTIFACTS=artifacts-sel node tests/e2e/run.mjs
//                                     use another database and artifacts folder, so that two runs
//                                     side by side do not drop each other's database or results.
//
//   E2E_TIMEZONES=UTC node tests/e2e/run.mjs
//                                     run only the first pass. By default the specs run twice: all
//                                     of them with the browser on UTC, then the time-sensitive ones
//                                     (TIME_SPECS: sessions, plans, settlement and reconciliation
//                                     dates, the homes) on America/Los_Angeles against a fresh backend and
//                                     database (`<name>_tz2`), since the specs change the demo world.
//
// Ends with a line "N passed, N failed". Exit 0 only when every spec passed. Without
// /usr/bin/chromium the run is skipped (exit 0), unless CI is set (exit 1).
import { spawn, spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const ARTIFACTS = path.resolve(HERE, process.env.E2E_ARTIFACTS || 'artifacts');
const DATABASE_NAME = process.env.E2E_DATABASE_NAME || 'shuxuan_e2e';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PYTHON = process.env.E2E_PYTHON || path.join(REPO, '.venv', 'bin', 'python');
const LAUNCHER = path.join(REPO, 'infra', 'local', 'run.py');
const READY_TIMEOUT_MS = 180_000;
const SPEC_DIR = path.join(HERE, 'specs');
const wanted = new Set(process.argv.slice(2).map((arg) => path.basename(arg)));
const specs = readdirSync(SPEC_DIR)
  .filter((name) => name.endsWith('.spec.mjs') && (wanted.size === 0 || wanted.has(name)))
  .sort()
  .map((name) => path.join(SPEC_DIR, name));
/** Specs that type or read date-times; they run again under the second zone. */
const TIME_SPECS = new Set([
  'selection-flow.spec.mjs',
  'selection.spec.mjs',
  'settlement.spec.mjs',
  'reconciliation.spec.mjs',
  'home.spec.mjs',
]);
const ZONES = (process.env.E2E_TIMEZONES || 'UTC,America/Los_Angeles').split(',').filter(Boolean);
const PASSES = ZONES.map((zone, index) => ({
  zone,
  database: index === 0 ? DATABASE_NAME : `${DATABASE_NAME}_tz${index + 1}`,
  specs: index === 0 ? specs : specs.filter((spec) => TIME_SPECS.has(path.basename(spec))),
})).filter((pass) => pass.specs.length > 0);
if (specs.length === 0) {
  console.log(`no spec matches ${[...wanted].join(', ')}`);
  process.exit(1);
}

function log(message) {
  console.log(`[e2e] ${message}`);
}

function finish(passed, failed) {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

if (!existsSync(CHROMIUM)) {
  console.log(
    `chromium not found at ${CHROMIUM}: browser tests skipped (apt-get install chromium)`,
  );
  process.exit(process.env.CI ? 1 : 0);
}
if (!existsSync(path.join(HERE, 'node_modules', 'playwright-core'))) {
  log('installing playwright-core (npm ci; no browser download)');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: HERE,
    stdio: 'inherit',
  });
  if (r.status !== 0) finish(0, specs.length);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function ensureBuiltSpa() {
  const frontend = path.join(REPO, 'frontend');
  if (existsSync(path.join(frontend, 'dist', 'index.html'))) return true;
  log('frontend/dist is missing: building the SPA');
  if (!existsSync(path.join(frontend, 'node_modules'))) {
    if (
      spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
        cwd: frontend,
        stdio: 'inherit',
      }).status !== 0
    )
      return false;
  }
  return spawnSync('npm', ['run', 'build'], { cwd: frontend, stdio: 'inherit' }).status === 0;
}

/** Start the launcher in its own process group; resolve with its URL once it prints READY. */
async function startBackend(serverLog, databaseName) {
  if (!existsSync(PYTHON)) throw new Error(`no Python at ${PYTHON} (create the venv first)`);
  const port = await freePort();
  const args = [
    LAUNCHER,
    '--port',
    String(port),
    '--database-name',
    databaseName,
    '--fresh',
    '--no-build',
  ];
  log(`starting the backend: ${path.relative(REPO, PYTHON)} ${args.join(' ')}`);
  const child = spawn(PYTHON, args, {
    cwd: REPO,
    // Every spec logs in from 127.0.0.1: lift the per-address login throttle (its own backend
    // tests prove it) so that adding specs never makes the suite flaky.
    env: {
      ...process.env,
      PYTHONUNBUFFERED: '1',
      SHUXUAN_LOGIN_RATE: '1000/min',
      SHUXUAN_LOGIN_USER_RATE: '1000/min',
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () => reject(new Error(`no READY line within ${READY_TIMEOUT_MS / 1000} s`)),
      READY_TIMEOUT_MS,
    );
    const onData = (chunk) => {
      serverLog.write(chunk);
      buffer += chunk.toString();
      const match = /^READY (http:\/\/\S+)\s*$/m.exec(buffer);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
      if (buffer.length > 100_000) buffer = buffer.slice(-10_000);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => serverLog.write(chunk));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the backend exited before READY (code ${code}, signal ${signal})`));
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  }).catch((error) => {
    child.stdout.removeAllListeners('data');
    return Promise.reject(Object.assign(error, { child }));
  });
  return { child, url };
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

/** SIGTERM the launcher (it stops gunicorn, Celery and the embedded services), then its group. */
async function stopBackend(child) {
  if (!child?.pid) return;
  const pid = child.pid;
  const exited = new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', resolve);
  });
  const waitExit = (ms) =>
    Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), ms))]);
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
  if (!(await waitExit(30_000))) log('the backend did not stop within 30 s');
  signalGroup(pid, 'SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  if (alive(pid)) await waitExit(5_000);
  signalGroup(pid, 'SIGKILL');
}

function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Run the specs in a child process without blocking the event loop: the backend's stdout and
 * stderr are pipes that this process must keep draining, or gunicorn blocks writing its log. */
async function runSpecs(baseUrl, pass) {
  const tapFile = path.join(ARTIFACTS, `results-${pass.zone.replace(/\W+/g, '_')}.tap`);
  log(`${pass.specs.length} spec file(s) with the browser on ${pass.zone}`);
  const child = spawn(
    process.execPath,
    [
      '--test',
      '--test-concurrency=1',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tapFile}`,
      ...pass.specs,
    ],
    {
      cwd: HERE,
      env: { ...process.env, BASE_URL: baseUrl, E2E_ARTIFACTS: ARTIFACTS, E2E_TIMEZONE: pass.zone },
      stdio: 'inherit',
    },
  );
  const status = await new Promise((resolve) => {
    child.on('close', (code) => resolve(code));
    child.on('error', () => resolve(1));
  });
  const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
  const passed = count('pass');
  let failed = count('fail') + count('cancelled');
  if (status !== 0 && failed === 0) failed = Math.max(1, pass.specs.length - passed);
  return { passed, failed };
}

/** One pass: a fresh backend on its own database, the pass's specs, the backend stopped. */
async function runPass(pass) {
  const logFile = path.join(ARTIFACTS, `server-${pass.database}.log`);
  const serverLog = createWriteStream(logFile);
  let backend;
  const interrupt = async () => {
    await stopBackend(backend?.child);
    process.exit(130);
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  let outcome = { passed: 0, failed: pass.specs.length };
  const started = Date.now();
  try {
    backend = await startBackend(serverLog, pass.database);
    log(`backend ready at ${backend.url} after ${((Date.now() - started) / 1000).toFixed(0)} s`);
    outcome = await runSpecs(backend.url, pass);
  } catch (error) {
    log(`backend did not start: ${error.message}`);
    log(`last lines of ${path.relative(REPO, logFile)}:\n${tail(logFile)}`);
    backend = backend ?? { child: error.child };
  } finally {
    await stopBackend(backend?.child);
    serverLog.end();
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
  }
  log(
    `${pass.zone}: ${outcome.passed} passed, ${outcome.failed} failed in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  if (outcome.failed > 0) log(`server log: ${path.relative(REPO, logFile)}`);
  return outcome;
}

async function main() {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const name of readdirSync(ARTIFACTS)) {
    if (name.endsWith('.png') || name.endsWith('.tap')) rmSync(path.join(ARTIFACTS, name));
  }
  const total = { passed: 0, failed: 0 };
  const add = (outcome) => {
    total.passed += outcome.passed;
    total.failed += outcome.failed;
  };
  if (process.env.E2E_BASE_URL) {
    log(`using the running server at ${process.env.E2E_BASE_URL}`);
    for (const pass of PASSES) add(await runSpecs(process.env.E2E_BASE_URL, pass));
    finish(total.passed, total.failed);
  }
  if (!ensureBuiltSpa()) {
    log('could not build the SPA');
    finish(0, specs.length);
  }
  for (const pass of PASSES) add(await runPass(pass));
  finish(total.passed, total.failed);
}

main().catch((error) => {
  console.error(error);
  finish(0, specs.length);
});
