// Shared pieces of the end-to-end web tests (tests/web/lifecycle.mjs): arguments, a free port, the
// CLI, `tandem serve`, an SMTP sink that keeps every mail, steps that print "ok"/"FAIL" lines,
// console and CSP watching, and axe-core accessibility checks (WCAG 2.1 A and AA).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const webRequire = createRequire(join(ROOT, 'web', 'package.json'));
export const { chromium } = webRequire('playwright-core');
const AXE_SOURCE = readFileSync(webRequire.resolve('axe-core/axe.min.js'), 'utf8');

export function parseArgs(argv) {
  const result = {};
  for (let i = 0; i < argv.length; i += 2) result[argv[i].replace(/^--/, '')] = argv[i + 1];
  return {
    tandem: resolve(result.tandem ?? join(ROOT, 'build', 'tandem')),
    dist: resolve(result.dist ?? join(ROOT, 'web', 'dist')),
    out: resolve(result.out ?? join(ROOT, 'build', 'web-test-artifacts')),
    chromium: result.chromium ?? '/usr/bin/chromium',
  };
}

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function check(cond, message) {
  if (!cond) throw new Error(message);
}

/**
 * Steps print "ok NAME (seconds)" or "FAIL NAME: why"; `onFail` (e.g. screenshots of the open
 * pages) runs after a failure. A step with `{ chain: true }` is skipped (and fails) once an
 * earlier chain step failed: the lifecycle's steps build on each other.
 */
export class Steps {
  constructor({ onFail } = {}) {
    this.passed = 0;
    this.failed = 0;
    this.broken = null;
    this.onFail = onFail;
  }
  async step(name, fn, { chain = false } = {}) {
    if (chain && this.broken) {
      this.failed++;
      console.log(`FAIL ${name}: skipped, it needs "${this.broken}"`);
      return false;
    }
    const started = Date.now();
    try {
      await fn();
      this.passed++;
      console.log(`ok ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return true;
    } catch (e) {
      this.fail(name, e);
      if (chain) this.broken = name;
      if (this.onFail) await this.onFail(name).catch(() => undefined);
      return false;
    }
  }
  fail(name, e) {
    this.failed++;
    console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
  }
}

/**
 * Console errors, uncaught exceptions and CSP violations of a page go into `problems`, except
 * those matching a pattern in `expected` at that moment.
 */
export function watch(page, who, problems, expected = []) {
  page.on('console', (msg) => {
    // A 401 from GET /session while signed out is expected; the browser logs it anyway.
    const text = msg.text();
    const fine = /Failed to load resource: .* 401/.test(text) || expected.some((re) => re.test(text));
    if (msg.type() === 'error' && !fine) problems.push(`${who}: console error: ${text}`);
  });
  page.on('pageerror', (e) => problems.push(`${who}: uncaught: ${e.message}`));
  return page;
}

/**
 * A tiny SMTP server on loopback that accepts every mail (no TLS, no auth: what
 * TANDEM_SMTP_URL=smtp://127.0.0.1:PORT speaks) and keeps it decoded: {to, subject, text}.
 */
export async function smtpSink() {
  const mails = [];
  const server = createServer((sock) => {
    sock.setEncoding('latin1');
    let buf = '';
    let inData = false;
    let rcpt = [];
    sock.write('220 tandem-test-sink ESMTP\r\n');
    sock.on('error', () => undefined);
    sock.on('data', (chunk) => {
      buf += chunk;
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const data = buf.slice(0, end).replace(/^\.\./gm, '.');
          buf = buf.slice(end + 5);
          mails.push(decodeMail(rcpt, data));
          rcpt = [];
          inData = false;
          sock.write('250 2.0.0 kept\r\n');
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') sock.write('250-tandem-test-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n');
        else if (verb === 'RCPT') {
          rcpt.push((/<([^>]*)>/.exec(line)?.[1] ?? '').toLowerCase());
          sock.write('250 2.1.5 ok\r\n');
        } else if (verb === 'DATA') {
          inData = true;
          sock.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') {
          sock.end('221 2.0.0 bye\r\n');
          return;
        } else sock.write('250 ok\r\n');
      }
    });
  });
  const port = await new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server.address().port)));
  return {
    port,
    mails,
    close: () => new Promise((r) => server.close(() => r())),
    /** Waits for a mail to `to` whose text matches `pattern`; returns the match. */
    async waitFor(to, pattern, { timeout = 15_000, after = 0 } = {}) {
      const until = Date.now() + timeout;
      for (;;) {
        for (const mail of mails.slice(after)) {
          if (!mail.to.includes(to.toLowerCase())) continue;
          const m = pattern.exec(mail.text);
          if (m) return m;
        }
        if (Date.now() > until) {
          const seen = mails.map((m) => `${m.to.join(',')}: ${m.subject}`).join('; ');
          throw new Error(`no mail to ${to} matching ${pattern} (mails so far: ${seen || 'none'})`);
        }
        await sleep(100);
      }
    },
  };
}

function decodeMail(to, raw) {
  const bytes = Buffer.from(raw, 'latin1').toString('utf8');
  const parts = [];
  const re = /Content-Transfer-Encoding:\s*base64\r\n(?:[^\r\n]+\r\n)*\r\n([A-Za-z0-9+/=\r\n]+)/gi;
  for (let m; (m = re.exec(bytes)); ) parts.push(Buffer.from(m[1].replace(/\s+/g, ''), 'base64').toString('utf8'));
  const subjectLine = /^Subject:\s*(.*(?:\r\n[ \t].*)*)/im.exec(bytes)?.[1] ?? '';
  const subject = subjectLine.replace(/\r\n[ \t]/g, ' ').replace(/=\?UTF-8\?B\?([^?]*)\?=/gi,
    (_, b) => Buffer.from(b, 'base64').toString('utf8')).replace(/\?=\s+=\?/g, '');
  return { to, subject, text: parts.length ? parts.join('\n') : bytes };
}

/**
 * axe-core on the page as it is, with the WCAG 2.0/2.1 A and AA rules. The page's CSP blocks
 * injected <script> tags, so the source goes in through page.evaluate. Returns the violations
 * as short lines ("rule (impact): help — selectors").
 */
export async function axeViolations(page, { exclude = [] } = {}) {
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!has) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (excluded) => {
    const result = await window.axe.run(
      { include: [document], exclude: excluded.map((s) => [s]) },
      { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] },
    );
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` [${n.failureSummary.split('\n').slice(1).join(' ').trim()}]` : ''}`),
      count: v.nodes.length,
    }));
  }, exclude);
  return violations.map((v) => `${v.id} (${v.impact}, ${v.count}x): ${v.help} — ${v.nodes.join('; ')}`);
}

/** A temporary folder, the database URL, the CLI, and `tandem serve` with the built front end. */
export async function startTandem({ tandem, dist, env: extraEnv = {} }) {
  const tmp = mkdtempSync(join(tmpdir(), 'tandem-web-'));
  const db = `sqlite:${join(tmp, 'tandem.db')}`;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, TANDEM_PUBLIC_URL: base };
  for (const name of Object.keys(env)) if (name.startsWith('TANDEM_SMTP')) delete env[name];
  delete env.TANDEM_DB;
  delete env.TANDEM_LISTEN;
  const cli = (...argv) =>
    execFileSync(tandem, [...argv, '--db', db], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  let server = null;
  const start = async () => {
    const log = openSync(join(tmp, 'server.log'), 'w');
    server = spawn(tandem, ['serve', '--listen', `127.0.0.1:${port}`, '--db', db, '--static-dir', dist], {
      env: { ...env, ...extraEnv },
      stdio: ['ignore', log, log],
    });
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        // not listening yet
      }
      if (i > 150 || server.exitCode !== null) throw new Error('tandem serve did not start');
      await sleep(100);
    }
  };
  const stop = async (keep) => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => {
        const t = setTimeout(() => {
          server.kill('SIGKILL');
          r();
        }, 10_000);
        server.once('exit', () => {
          clearTimeout(t);
          r();
        });
      });
    }
    if (!keep) rmSync(tmp, { recursive: true, force: true });
  };
  return { tmp, db, port, base, env, cli, start, stop };
}

export function linkFrom(text) {
  const m = /(https?:\/\/\S*\/sign-in#link=[A-Za-z0-9_-]+)/.exec(text);
  if (!m) throw new Error(`no sign-in link in: ${text}`);
  return m[1];
}

export function ensureDir(path) {
  mkdirSync(path, { recursive: true });
  return path;
}

/**
 * What has the keyboard focus: tag, type, name, its label (the <label>, else aria-label, else the
 * text), the legend of its fieldset, whether it is checked and shows a focus ring.
 */
export function focusInfo(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return { tag: 'body', label: '' };
    const label = e.getAttribute('aria-label') ?? (e.labels && e.labels[0] ? e.labels[0].textContent.trim() : e.textContent.trim());
    const legend = e.closest('fieldset')?.querySelector('legend')?.textContent.trim() ?? '';
    return {
      tag: e.tagName.toLowerCase(), type: e.getAttribute('type') ?? '', label, legend,
      checked: e.checked === true, visible: e.matches(':focus-visible'),
    };
  });
}

/** Presses Tab (or `key`) until `want(focusInfo)` holds; fails after `max` presses. Keyboard only. */
export async function tabUntil(page, want, what, { max = 120, key = 'Tab' } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focusInfo(page);
    if (want(f)) return f;
  }
  throw new Error(`${key} never reached ${what} (${max} presses)`);
}

/** The one-time sign-in links that `tandem demo` prints: {admin, mentee, mentor}. */
export function demoSignIns(output) {
  const find = (re) => re.exec(output)?.[1] ?? null;
  return {
    admin: find(/^Administrator[^:]*:\s*(\S+#link=[A-Za-z0-9_-]+)/m),
    mentee: find(/^Mentee[^:]*:\s*(\S+#link=[A-Za-z0-9_-]+)/m),
    mentor: find(/^Mentor[^:]*:\s*(\S+#link=[A-Za-z0-9_-]+)/m),
  };
}

/** A time as a datetime-local input's value, in this machine's (and the browser's) time zone. */
export function localInput(ms) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
