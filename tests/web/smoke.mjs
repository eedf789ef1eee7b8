// End-to-end smoke test of the web front end: a real `tandem serve` on SQLite with the built
// web/dist, driven by Debian's chromium through playwright-core (from web/node_modules).
//
//   node tests/web/smoke.mjs --tandem build/tandem [--dist web/dist] [--out DIR]
//        [--chromium /usr/bin/chromium]
//
// Seeds a database with the CLI (`tandem import`, `tandem programme create`, `tandem admin
// create`), starts the server on a free loopback port, and checks as a person would: the system
// administrator signs in through the one-time link, sees the programme list, switches the
// language (kept after a reload: the account's language); a participant on a phone-sized screen
// opens the questionnaire by a deep link (all topics on one screen, experience asked from skill
// 2) and their tandems; the programme team's page (summary charts, opening enrolment, an
// invitation by filter, a run with its review: pairs, demand against supply, a pin). No page may log an error or a Content-Security-Policy violation.
// Screenshots go to --out. Prints "ok NAME" / "FAIL NAME" lines and "N passed, N failed".
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, chromium, freePort, linkFrom, parseArgs } from './harness.mjs';

const args = parseArgs(process.argv.slice(2));
const { tandem, dist, out } = args;
const chromiumPath = args.chromium;

const tmp = mkdtempSync(join(tmpdir(), 'tandem-web-'));
const db = `sqlite:${join(tmp, 'tandem.db')}`;
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const env = { ...process.env, TANDEM_PUBLIC_URL: base };
for (const name of Object.keys(env)) if (name.startsWith('TANDEM_SMTP')) delete env[name];
delete env.TANDEM_DB;
delete env.TANDEM_LISTEN;

function cli(...argv) {
  return execFileSync(tandem, [...argv, '--db', db], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

let server = null;
let browser = null;
const results = { passed: 0, failed: 0 };
const problems = []; // console errors and CSP violations, from every page

async function step(name, fn) {
  try {
    await fn();
    results.passed++;
    console.log(`ok ${name}`);
  } catch (e) {
    results.failed++;
    console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
  }
}

function watch(page, who) {
  page.on('console', (msg) => {
    // A 401 from GET /session while signed out is expected; the browser logs it anyway.
    const expected = /Failed to load resource: .* 401/.test(msg.text());
    if (msg.type() === 'error' && !expected) problems.push(`${who}: console error: ${msg.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${who}: uncaught: ${e.message}`));
  return page;
}

try {
  // Seed: two people (the participant enrolled in the programme), a programme, an admin.
  const header =
    'id,name,email,department,location,manager_id,level,languages,mentor_capacity,' +
    'mentee_capacity,interest:ai,skill:ai,interest:cloud,skill:cloud';
  const people = [
    header,
    'E-P,Pia Participant,pia@example.test,IT,Berlin,,1,de;en,1,0,2,3,1,2',
    'E-M,Max Manager,max@example.test,Board,Berlin,,5,de,0,1,3,0,2,1',
  ].join('\n');
  writeFileSync(join(tmp, 'people.csv'), `${people}\n`);
  cli('import', join(tmp, 'people.csv'));
  const programmeId = Number(/(\d+)\s*$/.exec(cli('programme', 'create', 'Digital 2027').trim())[1]);
  cli('import', join(tmp, 'people.csv'), '--programme', String(programmeId));
  const adminLink = linkFrom(cli('admin', 'create', 'admin@example.test'));

  const log = openSync(join(tmp, 'server.log'), 'w');
  server = spawn(tandem, ['serve', '--listen', `127.0.0.1:${port}`, '--db', db, '--static-dir', dist], {
    env,
    stdio: ['ignore', log, log],
  });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 150 || server.exitCode !== null) throw new Error('tandem serve did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  mkdirSync(out, { recursive: true });

  await step('the app is served under the strict CSP, also on deep links', async () => {
    for (const path of ['/', '/sign-in', `/programmes/${programmeId}/enrolment`]) {
      const res = await fetch(base + path);
      check(res.status === 200, `${path}: status ${res.status}`);
      check((res.headers.get('content-type') ?? '').startsWith('text/html'), `${path}: not HTML`);
      const csp = res.headers.get('content-security-policy') ?? '';
      check(csp.includes("script-src 'self'") && !csp.includes('unsafe-inline'), `${path}: CSP ${csp}`);
      const html = await res.text();
      check(!/<script(?![^>]*\ssrc=)[^>]*>/.test(html), `${path}: an inline script`);
      check(!/<style|\sstyle=/.test(html), `${path}: an inline style`);
    }
    const api = await fetch(`${base}/api/v1/no-such-route`);
    check(api.status === 404 && (api.headers.get('content-type') ?? '').includes('problem+json'),
      'an unknown API route must stay a 404 problem');
  });

  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });

  const admin = await browser.newContext({ locale: 'de-DE', viewport: { width: 1200, height: 800 } });
  const page = watch(await admin.newPage(), 'admin');
  page.setDefaultTimeout(30_000);

  await step('administrator signs in through the one-time link', async () => {
    await page.goto(adminLink);
    await page.waitForURL(`${base}/programmes`);
    check(!page.url().includes('#'), 'the token stays in the address bar');
    await page.getByRole('heading', { level: 1, name: 'Meine Programme' }).waitFor();
  });

  await step('the programme list shows the programme', async () => {
    await page.getByRole('heading', { name: 'Digital 2027' }).waitFor();
    await page.getByText('Entwurf').waitFor();
    await page.screenshot({ path: join(out, 'programmes-de.png'), fullPage: true });
  });

  await step('switching the language to English, kept in the account after a reload', async () => {
    await page.getByLabel('Sprache').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'My programmes' }).waitFor();
    await page.getByRole('link', { name: 'Programme team' }).waitFor();
    // The account's language changed on the server too.
    for (let i = 0; i < 50; i++) {
      const me = await page.request.get(`${base}/api/v1/me`);
      if ((await me.json()).account.language === 'en') break;
      check(i < 49, 'the account language did not become en');
      await page.waitForTimeout(100);
    }
    await page.evaluate(() => window.localStorage.removeItem('tandem.language'));
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'My programmes' }).waitFor();
    check((await page.getAttribute('html', 'lang')) === 'en', 'html lang is not en');
    await page.screenshot({ path: join(out, 'programmes-en.png'), fullPage: true });
  });

  // The participant: an account for the imported person (an invitation by the administrator),
  // signed in by a one-time link from the CLI.
  let participantLink = null;
  await step('a participant account by invitation', async () => {
    const csrf = await page.evaluate(() => window.localStorage.getItem('tandem.csrf'));
    const list = await (await page.request.get(`${base}/api/v1/people?limit=500`)).json();
    const pia = list.items.find((p) => p.external_id === 'E-P');
    const res = await page.request.post(`${base}/api/v1/people/${pia.id}/invitation`, {
      headers: { 'X-CSRF-Token': csrf },
    });
    check(res.status() === 202, `invitation: ${res.status()} ${await res.text()}`);
    participantLink = linkFrom(cli('admin', 'create', 'pia@example.test'));
  });

  const phone = await browser.newContext({
    locale: 'en-GB',
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const p = watch(await phone.newPage(), 'participant');
  p.setDefaultTimeout(30_000);

  await step('participant on a phone: the questionnaire by a deep link after sign-in', async () => {
    check(participantLink, 'no participant link');
    const deep = participantLink.replace('/sign-in#', `/sign-in?next=/programmes/${programmeId}/enrolment#`);
    await p.goto(deep);
    await p.waitForURL(`${base}/programmes/${programmeId}/enrolment`);
    await p.getByRole('heading', { level: 1, name: 'Fragebogen: Digital 2027' }).waitFor();
    const topics = await p.locator('li.topic').count();
    check(topics >= 12, `only ${topics} topics on the screen`);
    // Skill 3 on "ai" came from the import: its experience field is there.
    const first = p.locator('li.topic').first();
    const interest = first.getByRole('group', { name: 'Interesse' });
    await interest.getByText('sehr interessiert').click();
    check(await interest.getByLabel('sehr interessiert').isChecked(), 'the interest is not chosen');
    const skill = p.locator('li.topic').nth(2).getByRole('group', { name: 'Können' });
    await skill.getByText('fortgeschritten').click();
    await p.locator('li.topic').nth(2).getByLabel(/Ihre Erfahrung mit/).waitFor();
    const scroll = await p.evaluate(() => document.documentElement.scrollWidth);
    check(scroll <= 390, `the page is ${scroll} px wide on a 390 px screen`);
    await p.screenshot({ path: join(out, 'enrolment-phone.png'), fullPage: false });
  });

  await step('participant sees their tandems page and switches to English', async () => {
    await p.getByRole('link', { name: 'Meine Tandems' }).click();
    await p.getByRole('heading', { level: 1, name: 'Meine Tandems' }).waitFor();
    await p.getByText('Noch keine Tandems').waitFor();
    await p.getByLabel('Sprache').selectOption('en');
    await p.getByRole('heading', { level: 1, name: 'My tandems' }).waitFor();
    await p.screenshot({ path: join(out, 'tandems-phone.png') });
  });

  // The programme team (the administrator, in English by now): the team page with the summary,
  // opening enrolment, an invitation by filter, a run and its review.
  const api = async (method, path, body, ifMatch) => {
    const csrf = await page.evaluate(() => window.localStorage.getItem('tandem.csrf'));
    const headers = { 'X-CSRF-Token': csrf };
    if (ifMatch) headers['If-Match'] = ifMatch;
    const res = await page.request.fetch(`${base}${path}`, { method, headers, data: body });
    check(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`);
    return res;
  };
  const moveDeadline = async (at) => {
    const res = await api('GET', `/api/v1/programmes/${programmeId}`);
    const pr = await res.json();
    const input = {
      name: pr.name, topics: pr.topics, mentee_min_level: pr.mentee_min_level,
      term_min_months: pr.term_min_months, term_max_months: pr.term_max_months,
      target_meetings_min: pr.target_meetings_min, target_meetings_max: pr.target_meetings_max,
      mode: pr.mode, enrolment_deadline: at, agreement_de: pr.agreement_de, agreement_en: pr.agreement_en,
    };
    await api('PUT', `/api/v1/programmes/${programmeId}`, input, res.headers()['etag'] ?? `"${pr.version}"`);
  };

  await step('the programme team page shows the summary', async () => {
    await page.getByRole('link', { name: 'Programme team' }).click();
    await page.getByRole('heading', { level: 1, name: 'Manage programmes' }).waitFor();
    await page.getByRole('link', { name: 'Manage “Digital 2027”' }).click();
    await page.waitForURL(`${base}/team/programmes/${programmeId}`);
    await page.getByRole('heading', { level: 1, name: 'Programme team: Digital 2027' }).waitFor();
    await page.getByRole('img', { name: 'Enrolments' }).waitFor();
    await page.getByRole('img', { name: 'Tandems' }).waitFor();
    const enrolled = await page.getByRole('img', { name: 'Enrolments' }).locator('text.chart-value').nth(1).textContent();
    check(enrolled === '2', `enrolled shown as ${enrolled}`);
    await page.screenshot({ path: join(out, 'team-summary-en.png'), fullPage: true });
  });

  await step('the team opens enrolment and invites by filter', async () => {
    await moveDeadline(Date.now() + 3_600_000);
    await page.reload();
    await page.getByRole('button', { name: 'Open enrolment' }).click();
    await page.getByText('Enrolment is open.').waitFor();
    await page.getByLabel('Department').fill('Board');
    await page.getByRole('button', { name: 'Send invitations' }).click();
    await page.getByText('0 newly invited, 1 already invited or enrolled, 0 skipped').waitFor();
  });

  await step('the team queues a run and reviews its pairs and demand against supply', async () => {
    await moveDeadline(Date.now() - 1000);
    await page.reload();
    await page.getByLabel('Objective').selectOption('optimal');
    await page.getByRole('button', { name: 'Start a run' }).click();
    await page.getByRole('heading', { name: /^Run \d+: result$/ }).waitFor();
    await page.getByRole('heading', { level: 3, name: 'Proposed tandems' }).waitFor({ timeout: 20_000 });
    const pair = page.getByRole('list', { name: 'Proposed tandems' }).getByRole('listitem').filter({ hasText: 'Max Manager' });
    await pair.getByText('Pia Participant').waitFor();
    await page.getByRole('img', { name: 'Demand and supply per topic' }).waitFor();
    await pair.getByRole('button', { name: /^Pin or unpin/ }).click();
    await page.getByText('Saved. The next run takes it into account.').waitFor();
    await page.getByRole('heading', { level: 3, name: 'Pinned and forbidden pairs' }).waitFor();
    await page.screenshot({ path: join(out, 'team-run-review-en.png'), fullPage: true });
  });

  await step('sign-out leads back to the sign-in page', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByLabel('Password').waitFor();
    await page.screenshot({ path: join(out, 'sign-in-en.png') });
  });

  await step('the password reset link opens its page; without the code it says so', async () => {
    await page.goto(`${base}/reset-password`);
    await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
    await page.getByText('This page lacks the code from your e-mail').waitFor();
  });

  await step('no console errors and no CSP violations on any page', async () => {
    check(problems.length === 0, problems.join('\n'));
  });
} catch (e) {
  results.failed++;
  console.log(`FAIL set-up: ${e && e.stack ? e.stack : e}`);
} finally {
  if (browser) await browser.close().catch(() => undefined);
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
  if (results.failed === 0) rmSync(tmp, { recursive: true, force: true });
  else console.log(`kept ${tmp} (server.log)`);
}
console.log(`${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed === 0 ? 0 : 1);
