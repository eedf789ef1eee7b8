// End-to-end test of the tandem's workspace (issue 7; docs/privacy.md) in the browser: a real
// `tandem serve` on SQLite with a master key, the built web/dist and an SMTP sink, driven by
// Debian's chromium through playwright-core.
//
//   node tests/web/workspace.mjs --tandem build/tandem [--dist web/dist] [--out DIR]
//        [--chromium /usr/bin/chromium]
//
// `tandem demo` seeds a running programme (examples/cohort.csv); its first active tandem already
// has a filled workspace, so the test takes the next active one, whose partners have not accepted
// the agreement yet. The mentee (German, a 375 px phone) and the mentor (English, keyboard only)
// sign in by mailed links, both accept the agreement, reorder the roadmap (the mentee by dragging,
// the mentor with the arrow buttons, meeting the 412 of a stale roadmap), propose, accept and
// hold a meeting (proposed in the past, which the API allows, so that it can be marked held),
// write shared and private notes holding a canary string, and send asks to leadership. Each sees
// the shared notes and only their own private ones. Then the system administrator and a
// programme administrator try every way in: the team pages show the tandem but never the canary,
// the workspace's address says "not found", and every workspace API route answers 404. Last the
// ending (POST /complete and /dissolve): one partner marks the
// tandem complete, the other sees it waiting, tries "End early" and keeps it (Escape), and marks
// it complete too; the workspace becomes read-only. A partner of another tandem ends theirs early
// with a reason, which the other partner's mail does not carry. axe-core checks every workspace
// page; no page may log an unexpected error or a CSP violation. Screenshots go to --out.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  axeViolations, check, chromium, demoSignIns, ensureDir, focusInfo, linkFrom, localInput,
  parseArgs, ROOT, sleep, smtpSink, startTandem, Steps, tabUntil, watch,
} from './harness.mjs';

const args = parseArgs(process.argv.slice(2));
const out = ensureDir(args.out);
const pages = {}; // who → page, for screenshots after a failure
const steps = new Steps({
  onFail: async (name) => {
    const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40);
    for (const [who, page] of Object.entries(pages)) {
      await page.screenshot({ path: join(out, `workspace-FAILED-${slug}-${who}.png`), fullPage: true }).catch(() => undefined);
    }
  },
});
const step = (name, fn) => steps.step(name, fn, { chain: true });
const solo = (name, fn) => steps.step(name, fn);
const skipped = [];
const skip = (name, why) => {
  skipped.push(name);
  console.log(`skip ${name}: ${why}`);
};
const problems = []; // console errors and CSP violations, from every page
const expected = []; // console errors expected at the moment (a 412, the admin's 404s)
const a11y = [];

// Every protected text carries the canary; it must never reach the programme team.
const CANARY = `ws-canary-${randomBytes(6).toString('hex')}`;
const SHARED = `Gemeinsame Notiz ${CANARY}-shared`;
const MENTEE_PRIVATE = `Private Notiz ${CANARY}-mentee-private`;
const MENTOR_PRIVATE = `Private note ${CANARY}-mentor-private`;
const ROADMAP_A = `Phishing-Übung ${CANARY}-roadmap`;
const ROADMAP_B = 'Passwortmanager einführen';
const PLACE = `Raum 4.12 ${CANARY}-place`;
const REASON = 'We could not find common times.';
const NOT_FOUND = /This tandem does not exist, or you are not part of it\.|Dieses Tandem gibt es nicht, oder Sie gehören nicht dazu\./;


const sink = await smtpSink();
const tandem = await startTandem({
  tandem: args.tandem,
  dist: args.dist,
  env: {
    TANDEM_SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    TANDEM_MAILED_LINKS_PER_HOUR: '1000',
  },
});
const { base, cli, tmp } = tandem;
let browser = null;

async function axe(page, name) {
  for (const v of await axeViolations(page)) a11y.push(`${name}: ${v}`);
}
async function shot(page, name, fullPage = true) {
  await page.screenshot({ path: join(out, `workspace-${name}.png`), fullPage });
}
async function mainPage(page, name, fullPage = true) {
  await axe(page, name);
  await shot(page, name, fullPage);
}
/** Runs `fn` while console errors matching `patterns` are expected. */
async function expecting(patterns, fn) {
  expected.push(...patterns);
  try {
    return await fn();
  } finally {
    expected.length = 0;
  }
}
/** An API call from the page itself (its cookie and CSRF token): {status, text}. */
function fetchFrom(page, method, path, body) {
  return page.evaluate(async ({ method, path, body }) => {
    const headers = { Accept: 'application/json' };
    if (method !== 'GET') headers['X-CSRF-Token'] = window.localStorage.getItem('tandem.csrf') ?? '';
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, text: await r.text() };
  }, { method, path, body });
}
/** The text a person reads on the page (main content and header). */
const pageText = (page) => page.evaluate(() => document.body.innerText);
/** Asks for a sign-in link by mail and follows it. */
async function signInByMail(page, email) {
  const after = sink.mails.length;
  const r = await fetch(`${base}/api/v1/sign-in-links`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email }),
  });
  check(r.status === 202, `sign-in link for ${email}: HTTP ${r.status}`);
  const m = await sink.waitFor(email, /(https?:\/\/\S*\/sign-in#link=[A-Za-z0-9_-]+)/, { after });
  await page.goto(m[1]);
  await page.waitForURL((u) => !u.hash.includes('link='));
  await page.waitForLoadState('networkidle');
}
/** Switches the header's language select with the keyboard alone (Tab, then Home/End). */
async function keyboardLanguage(page, language) {
  const select = page.getByLabel(/^(Sprache|Language)$/);
  if ((await select.inputValue()) === language) return;
  await page.locator('body').focus();
  await tabUntil(page, (f) => f.tag === 'select' && /^(Sprache|Language)$/.test(f.label), 'the language switch', { max: 20 });
  const stored = storedLanguage(page);
  await page.keyboard.press(language === 'en' ? 'End' : 'Home');
  await stored;
  check((await select.inputValue()) === language, `the language is not ${language}`);
}
/** Waits until the account stored a language change (PUT /api/v1/me), so the next page keeps it. */
function storedLanguage(page) {
  return page.waitForResponse((r) => r.url().endsWith('/api/v1/me') && r.request().method() === 'PUT', { timeout: 30_000 });
}
/** Chooses the language with the mouse, stored in the account before the test goes on. */
async function chooseLanguage(page, language) {
  const select = page.getByLabel(/^(Sprache|Language)$/);
  if ((await select.inputValue()) === language) return;
  const stored = storedLanguage(page);
  await select.selectOption(language);
  await stored;
}

try {
  // ---- Seeding: the demo on a running programme, with a master key for the workspaces.
  const keyFile = join(tmp, 'master.key');
  execFileSync(args.tandem, ['keys', 'generate', '--out', keyFile], { env: tandem.env, stdio: 'ignore' });
  tandem.env.TANDEM_MASTER_KEY_FILE = keyFile; // for the CLI below and for `serve`
  const cohort = join(ROOT, 'examples', 'cohort.csv');
  cli('import', cohort);
  const programmeId = Number(cli('programme', 'create', 'Workspace E2E', '--mentee-min-level', '2').trim());
  cli('import', cohort, '--programme', String(programmeId));
  const demo = cli('demo', '--programme', String(programmeId));
  const links = demoSignIns(demo);
  const filled = Number(/Demo tandem (\d+)/.exec(demo)?.[1] ?? 0); // the tandem whose workspace the demo filled
  check(links.admin, 'tandem demo printed no administrator link');
  await tandem.start();

  browser = await chromium.launch({
    executablePath: args.chromium,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  const adminContext = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 } });
  const admin = (pages.admin = watch(await adminContext.newPage(), 'admin', problems, expected));
  admin.setDefaultTimeout(30_000);

  let subject = null; // the tandem under test: {id, mentor, mentee}
  let other = null; // another active tandem, ended early at the end
  const people = {}; // person id → {name, email}
  let endingRoutes = false;

  await step('the administrator signs in by the demo link and picks an untouched active tandem', async () => {
    await admin.goto(links.admin);
    await admin.waitForURL(`${base}/programmes`);
    await admin.waitForLoadState('networkidle');
    await chooseLanguage(admin, 'en');
    await admin.getByRole('heading', { level: 1, name: 'My programmes' }).waitFor();
    const r = await fetchFrom(admin, 'GET', `/api/v1/programmes/${programmeId}/tandems?limit=500`);
    check(r.status === 200, `tandems: HTTP ${r.status}`);
    const all = JSON.parse(r.text).items.filter((x) => x.state === 'active').sort((a, b) => a.id - b.id);
    // The demo fills the first active tandem's workspace; the others are untouched.
    const active = all.filter((x) => x.id !== (filled || all[0].id));
    check(active.length >= 2, `only ${active.length} untouched active tandems`);
    [subject, other] = [active[0], active[1]];
    for (const p of [subject.mentor, subject.mentee, other.mentor, other.mentee]) {
      const person = await fetchFrom(admin, 'GET', `/api/v1/people/${p.id}`);
      check(person.status === 200, `person ${p.id}: HTTP ${person.status}`);
      const { name, email } = JSON.parse(person.text);
      check(email, `${name} has no e-mail address`);
      people[p.id] = { name, email };
    }
    const doc = await (await fetch(`${base}/api/v1/openapi.json`)).json();
    endingRoutes = Boolean(doc.paths?.['/api/v1/tandems/{id}/complete'] && doc.paths?.['/api/v1/tandems/{id}/dissolve']);
    console.log(`# tandem ${subject.id}: mentor ${subject.mentor.name}, mentee ${subject.mentee.name}; ending routes: ${endingRoutes ? 'yes' : 'no'}`);
  });

  // The mentee: German, on a phone, signs in by the "send me a link" form.
  const menteeContext = await browser.newContext({
    locale: 'de-DE', viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true,
  });
  const mentee = (pages.mentee = watch(await menteeContext.newPage(), 'mentee', problems, expected));
  mentee.setDefaultTimeout(30_000);
  // The mentor: English, desktop, keyboard only inside the workspace.
  const mentorContext = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const mentor = (pages.mentor = watch(await mentorContext.newPage(), 'mentor', problems, expected));
  mentor.setDefaultTimeout(30_000);
  const workspaceUrl = () => `${base}/tandems/${subject.id}/workspace`;

  await step('the mentee signs in by a mailed link and opens the workspace from her tandems', async () => {
    const email = people[subject.mentee.id].email;
    await mentee.goto(`${base}/tandems`);
    await mentee.waitForURL(/\/sign-in/);
    const lang = mentee.getByLabel(/^(Sprache|Language)$/);
    if ((await lang.inputValue()) !== 'de') await lang.selectOption('de');
    const card = mentee.locator('section.card').filter({ hasText: 'Ohne Passwort anmelden' });
    await card.getByLabel('E-Mail-Adresse').fill(email);
    const after = sink.mails.length;
    await card.getByRole('button', { name: 'Link senden' }).click();
    await mentee.getByText('ist ein Link unterwegs', { exact: false }).waitFor();
    const link = linkFrom((await sink.waitFor(email, /(https?:\/\/\S*\/sign-in#link=[A-Za-z0-9_-]+)/, { after }))[1]);
    await mentee.goto(link);
    await mentee.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    await mentee.goto(`${base}/tandems`);
    await chooseLanguage(mentee, 'de');
    await mentee.getByRole('heading', { level: 1, name: 'Meine Tandems' }).waitFor();
    await mentee.getByRole('link', { name: `Arbeitsbereich mit ${subject.mentor.name} öffnen` }).click();
    await mentee.waitForURL(workspaceUrl());
    await mentee.getByRole('heading', { level: 1, name: `Arbeitsbereich mit ${subject.mentor.name}` }).waitFor();
    await mentee.getByRole('button', { name: 'Ich nehme die Vereinbarung an' }).waitFor();
    await mainPage(mentee, 'agreement-phone', false);
    await mentee.getByRole('button', { name: 'Ich nehme die Vereinbarung an' }).click();
    await mentee.getByText('Sie haben die Vereinbarung angenommen.').waitFor();
    await mentee.getByText('Der Arbeitsbereich öffnet sich, sobald Sie beide die Vereinbarung angenommen haben.').first().waitFor();
    const scroll = await mentee.evaluate(() => document.documentElement.scrollWidth);
    check(scroll <= 375, `the workspace is ${scroll} px wide on a 375 px screen`);
  });

  await step('keyboard only: the mentor signs in, switches to English and accepts the agreement', async () => {
    await signInByMail(mentor, people[subject.mentor.id].email);
    await keyboardLanguage(mentor, 'en');
    await mentor.goto(workspaceUrl());
    await mentor.getByRole('heading', { level: 1, name: `Workspace with ${subject.mentee.name}` }).waitFor();
    await mentor.getByText(`Mentee ${subject.mentee.name} accepted on`, { exact: false }).waitFor();
    const f = await tabUntil(mentor, (x) => x.tag === 'button' && x.label === 'I accept the agreement', 'the accept button');
    check(f.visible, 'the accept button shows no focus ring');
    await mentor.keyboard.press('Enter');
    await mentor.getByText('Both of you accepted the agreement.').waitFor();
    await mentor.getByRole('heading', { level: 2, name: 'Roadmap' }).waitFor();
    await mainPage(mentor, 'open-desktop');
  });

  await step('the mentee adds roadmap topics and drags the last one to the top', async () => {
    await mentee.reload();
    await mentee.getByRole('heading', { level: 2, name: 'Fahrplan' }).waitFor();
    for (const text of [ROADMAP_B, ROADMAP_A]) {
      await mentee.getByLabel('Neues Thema').fill(text);
      await mentee.getByRole('button', { name: 'Hinzufügen' }).click();
      await mentee.getByRole('checkbox', { name: `Behandelt: ${text}` }).waitFor();
    }
    const items = mentee.locator('ol.ws-roadmap > li');
    const before = await items.allInnerTexts();
    check(before.length >= 3 && before[before.length - 1].includes(ROADMAP_A), `roadmap before: ${before.join(' | ')}`);
    // The mentor now loads the same version; the drag below makes it stale.
    await mentor.reload();
    await mentor.getByRole('checkbox', { name: `Covered: ${ROADMAP_A}` }).waitFor();
    await items.last().locator('.ws-grip').dragTo(items.first(), { targetPosition: { x: 30, y: 4 } });
    await mentee.getByText(`„${ROADMAP_A}“ steht jetzt an Stelle 1.`).waitFor();
    const r = await mentee.request.get(`${base}/api/v1/tandems/${subject.id}/roadmap`);
    const saved = (await r.json()).items.map((x) => x.text);
    check(saved[0] === ROADMAP_A, `the server's order after the drag: ${saved.join(' | ')}`);
    check((await items.first().innerText()).includes(ROADMAP_A), 'the list does not show the dragged topic first');
    await mainPage(mentee, 'roadmap-phone', false);
  });

  await step('keyboard only: the mentor moves a topic on a stale roadmap (412: reloaded), then again', async () => {
    // The mentor's page still shows the order before the drag: ROADMAP_A last.
    await mentor.locator('body').focus();
    await tabUntil(mentor, (x) => x.tag === 'button' && x.label === `Move ${ROADMAP_B} up`, 'the move-up button');
    await expecting([/status of 412/], async () => {
      await mentor.keyboard.press('Enter');
      await mentor.getByText('Your partner changed the roadmap; reloaded.').waitFor();
    });
    const first = mentor.locator('ol.ws-roadmap > li').first();
    await first.getByText(ROADMAP_A).waitFor();
    await mentor.locator('body').focus();
    await tabUntil(mentor, (x) => x.tag === 'button' && x.label === `Move ${ROADMAP_A} down`, 'the move-down button');
    await mentor.keyboard.press('Enter');
    await mentor.getByText(`“${ROADMAP_A}” is now at position 2.`).waitFor();
    // The keyboard stays on the moved topic's button (restored once the roadmap reloaded).
    let f = null;
    for (let i = 0; i < 40; i++) {
      f = await focusInfo(mentor);
      if (f.label === `Move ${ROADMAP_A} down` || f.label === `Move ${ROADMAP_A} up`) break;
      await sleep(50);
    }
    check(f.label === `Move ${ROADMAP_A} down` || f.label === `Move ${ROADMAP_A} up`, `focus after the move: ${f.label || f.tag}`);
  });

  let meetingId = null;
  await step('the mentee proposes a meeting (in the past, so that it can be held)', async () => {
    await mentee.reload();
    await mentee.getByRole('heading', { level: 2, name: 'Treffen' }).waitFor();
    await mentee.getByLabel('Beginn (Datum und Uhrzeit)').fill(localInput(Date.now() - 2 * 3_600_000));
    await mentee.getByLabel('Ort', { exact: true }).fill(PLACE);
    await mentee.getByLabel('1. Theorie').fill('Wie Phishing funktioniert');
    await mentee.getByRole('button', { name: 'Vorschlag senden' }).click();
    await mentee.getByText('Vorschlag gesendet.').waitFor();
    await mentee.getByText(PLACE).waitFor();
    const r = await mentee.request.get(`${base}/api/v1/tandems/${subject.id}/meetings`);
    const list = (await r.json()).items;
    check(list.length === 1 && list[0].state === 'proposed', `meetings: ${JSON.stringify(list)}`);
    meetingId = list[0].id;
  });

  await step('keyboard only: the mentor accepts the meeting and marks it held', async () => {
    await mentor.reload();
    await mentor.getByText(PLACE).waitFor();
    await tabUntil(mentor, (x) => x.tag === 'button' && /^Accept the meeting on /.test(x.label), 'the accept-meeting button', { max: 200 });
    await mentor.keyboard.press('Enter');
    await mentor.getByText('Meeting updated.').waitFor();
    await mentor.getByText('agreed', { exact: true }).waitFor();
    await mentor.locator('body').focus();
    await tabUntil(mentor, (x) => x.tag === 'button' && /^Mark the meeting on .* as held$/.test(x.label), 'the mark-held button', { max: 200 });
    await mentor.keyboard.press('Enter');
    await mentor.getByText('held', { exact: true }).waitFor();
    const r = await mentor.request.get(`${base}/api/v1/tandems/${subject.id}/meetings/${meetingId}`);
    check((await r.json()).state === 'held', 'the meeting is not held on the server');
    await mentor.reload();
    await mentor.getByRole('heading', { level: 2, name: 'Term and completion' }).waitFor();
    const term = mentor.locator('section').filter({ has: mentor.getByRole('heading', { level: 2, name: 'Term and completion' }) });
    await term.getByText(/^1 of \d+ to \d+ planned$/).waitFor();
  });

  await step('the mentee writes a shared and a private note', async () => {
    await mentee.reload();
    await mentee.getByRole('heading', { level: 2, name: 'Notizen' }).waitFor();
    await mentee.getByRole('button', { name: 'Neue gemeinsame Notiz' }).click();
    await mentee.getByLabel('Titel').fill('Erstes Treffen');
    await mentee.getByLabel('Text (Markdown)').fill(`# Ergebnisse\n\n- ${SHARED}\n- **Passwörter** prüfen`);
    await mentee.getByRole('button', { name: 'Speichern' }).click();
    await mentee.getByText('Notiz gespeichert.').waitFor();
    await mentee.getByText(SHARED).waitFor();
    await mentee.getByRole('button', { name: 'Neue private Notiz' }).click();
    await mentee.getByLabel('Titel').fill('Nur für mich');
    await mentee.getByLabel('Text (Markdown)').fill(MENTEE_PRIVATE);
    await mentee.getByRole('button', { name: 'Speichern' }).click();
    await mentee.getByText('Notiz gespeichert.').waitFor();
    await mentee.getByText(MENTEE_PRIVATE).waitFor();
    await mentee.getByRole('heading', { level: 3, name: 'Meine privaten Notizen' }).evaluate((e) => e.scrollIntoView());
    await mainPage(mentee, 'notes-phone', false);
  });

  await step('keyboard only: the mentor writes a private note, sees the shared one but not the mentee\'s private one', async () => {
    await mentor.reload();
    await mentor.getByText(SHARED).waitFor();
    check(!(await pageText(mentor)).includes(MENTEE_PRIVATE), 'the mentor sees the mentee\'s private note');
    await mentor.locator('body').focus();
    await tabUntil(mentor, (x) => x.tag === 'button' && x.label === 'New private note', 'the new-private-note button', { max: 200 });
    await mentor.keyboard.press('Enter');
    check((await focusInfo(mentor)).label === 'Title', 'the editor does not start in the title');
    await mentor.keyboard.type('Preparation');
    await tabUntil(mentor, (x) => x.tag === 'textarea' && x.label === 'Text (Markdown)', 'the note text', { max: 2 });
    await mentor.keyboard.type(MENTOR_PRIVATE);
    await tabUntil(mentor, (x) => x.tag === 'button' && x.label === 'Save', 'the Save button', { max: 10 });
    await mentor.keyboard.press('Enter');
    await mentor.getByText('Note saved.').waitFor();
    await mentor.getByText(MENTOR_PRIVATE).waitFor();
    await mainPage(mentor, 'notes-desktop');
    await mentee.reload();
    await mentee.getByText(SHARED).waitFor();
    check(!(await pageText(mentee)).includes(MENTOR_PRIVATE), 'the mentee sees the mentor\'s private note');
    const notes = await (await mentee.request.get(`${base}/api/v1/tandems/${subject.id}/notes`)).text();
    check(!notes.includes(MENTOR_PRIVATE), 'the API gives the mentee the mentor\'s private note');
  });

  await step('asks to leadership: the mentee anonymously (field error first), the mentor by name (keyboard)', async () => {
    await mentee.getByRole('heading', { level: 2, name: 'Anliegen an die Führung' }).waitFor();
    await mentee.getByRole('button', { name: 'Anonym senden' }).click();
    await mentee.getByText('Bitte schreiben Sie, was Sie brauchen.').waitFor();
    check((await mentee.getByLabel('Ihr Anliegen').getAttribute('aria-invalid')) === 'true', 'the ask field is not marked invalid');
    await mentee.getByLabel('Ihr Anliegen').fill('Wir brauchen ein Budget für Sicherheitsschulungen.');
    await mentee.getByRole('checkbox', { name: 'Cybersicherheit' }).check();
    check(await mentee.getByRole('radio', { name: /^Anonym senden/ }).isChecked(), 'anonymous is not the default');
    await mentee.getByRole('heading', { level: 2, name: 'Anliegen an die Führung' }).evaluate((e) => e.scrollIntoView());
    await mainPage(mentee, 'ask-phone', false);
    await mentee.getByRole('button', { name: 'Anonym senden' }).click();
    await mentee.getByRole('status').filter({ hasText: 'Ihr Anliegen ist anonym beim Programmteam angekommen.' }).waitFor();

    await mentor.locator('body').focus();
    await tabUntil(mentor, (x) => x.tag === 'textarea' && x.label === 'Your ask', 'the ask field', { max: 250 });
    await mentor.keyboard.type('Please let us pilot a password manager in IT.');
    const radio = await tabUntil(mentor, (x) => x.type === 'radio', 'the anonymity choice', { max: 20 });
    check(radio.checked && /^Send anonymously/.test(radio.label), `the first radio reached: ${radio.label}`);
    await mentor.keyboard.press('ArrowDown');
    await tabUntil(mentor, (x) => x.tag === 'button' && x.label === 'Send with my name', 'the send button', { max: 3 });
    await mentor.keyboard.press('Enter');
    await mentor.getByRole('status').filter({ hasText: 'Your ask reached the programme team with your name.' }).waitFor();
    await mainPage(mentor, 'ask-desktop');
  });

  // ---- The programme team tries every way in.
  const ids = { note: null };
  await step('the workspace API answers the partners (for the team checks below)', async () => {
    const notes = await (await mentee.request.get(`${base}/api/v1/tandems/${subject.id}/notes`)).json();
    ids.note = notes.items.find((n) => !n.private)?.id;
    check(ids.note, 'no shared note');
  });

  const workspaceRoutes = () => {
    const t = `/api/v1/tandems/${subject.id}`;
    return [
      ['GET', `${t}/agreement`], ['POST', `${t}/agreement/accept`], ['GET', `${t}/roadmap`],
      ['POST', `${t}/roadmap`, { text: 'x' }], ['GET', `${t}/notes`], ['GET', `${t}/notes/${ids.note}`],
      ['POST', `${t}/notes`, { text: 'x' }], ['GET', `${t}/meetings`], ['GET', `${t}/meetings/${meetingId}`],
      ['GET', `${t}/meetings/${meetingId}/calendar.ics`], ['POST', `${t}/meetings/${meetingId}/cancel`],
      ['POST', `${t}/asks`, { text: 'x' }],
    ];
  };

  /** The text of the list item that shows tandem `x` (both partners' names), or null. */
  const tandemItem = (page, x) => page.evaluate(([a, b]) =>
    // The innermost one: the shortest text that names both.
    [...document.querySelectorAll('li')].map((e) => e.innerText).filter((t) => t.includes(a) && t.includes(b))
      .sort((p, q) => p.length - q.length)[0] ?? null,
  [x.mentor.name, x.mentee.name]);
  const teamPages = new Set(); // the team pages that list the tandem

  /** Every way in for one team member: pages, the workspace address, the API. */
  async function teamTries(page, who) {
    // The team pages: every page linked from the programme's team page, and the admin pages.
    await page.goto(`${base}/team/programmes/${programmeId}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    const seen = new Set();
    const queue = [`/team/programmes/${programmeId}`, '/team', '/tandems', '/programmes'];
    // Breadth first over the team's and the administration's links (this programme's only).
    const wanted = (h) => /^\/(team|admin)(\/|$)/.test(h) && !h.includes('/new') &&
      (!/\/programmes\/\d+/.test(h) || h.startsWith(`/team/programmes/${programmeId}`));
    let states = '';
    for (const path of queue) {
      if (seen.has(path)) continue;
      seen.add(path);
      // "My tandems" of an account without a person is a 403 from GET /api/v1/tandems.
      await expecting(path === '/tandems' ? [/status of 403/] : [], async () => {
        await page.goto(`${base}${path}`);
        await page.waitForLoadState('networkidle');
      });
      const text = await pageText(page);
      check(!text.includes(CANARY), `${who}: ${path} shows workspace content (${CANARY})`);
      const hrefs = await page.evaluate(() => [...document.querySelectorAll('a[href^="/"]')].map((a) => a.getAttribute('href')));
      for (const h of hrefs) {
        const target = h.split('#')[0];
        if (wanted(target) && !seen.has(target) && queue.length < 40) queue.push(target);
      }
      const item = await tandemItem(page, subject);
      if (item) {
        check(/\b(Active|Aktiv)\b/.test(item), `${who}: ${path} shows the tandem without its state "Active": ${item}`);
        states += `${path} `;
        teamPages.add(path);
      }
    }
    console.log(`# ${who}: no canary on ${[...seen].join(' ')}; the tandem shown on ${states}`);
    check(states, `${who}: no team page shows the tandem of ${subject.mentor.name} and ${subject.mentee.name} (pages: ${[...seen].join(', ')})`);
    // The workspace's address and anything below it.
    await expecting([/status of 40[34]/], async () => {
      for (const path of [`/tandems/${subject.id}/workspace`, `/tandems/${subject.id}/workspace/notes`, `/tandems/${subject.id}`]) {
        await page.goto(`${base}${path}`);
        await page.waitForLoadState('networkidle');
        const text = await pageText(page);
        check(!text.includes(CANARY), `${who}: ${path} shows workspace content`);
        if (path.endsWith('/workspace')) {
          check(NOT_FOUND.test(text), `${who}: ${path} does not say "not found": ${text.slice(0, 300)}`);
          await mainPage(page, `not-found-${who}`, false);
        }
      }
      // The tandem itself and its ending are participants' routes (like accept and decline): 404,
      // or 403 for an account without a person.
      for (const [method, path, body] of [['GET', ''], ['POST', '/complete'], ['POST', '/dissolve', { reason: 'x' }]]) {
        const r = await fetchFrom(page, method, `/api/v1/tandems/${subject.id}${path}`, body);
        check([403, 404].includes(r.status) && !r.text.includes(CANARY), `${who}: ${method} /api/v1/tandems/${subject.id}${path}: ${r.status}`);
      }
      // The API: every workspace route is a 404, as for a tandem that does not exist.
      for (const [method, path, body] of workspaceRoutes()) {
        const r = await fetchFrom(page, method, path, body);
        check(r.status === 404, `${who}: ${method} ${path} answered ${r.status}: ${r.text.slice(0, 200)}`);
        check(!r.text.includes(CANARY), `${who}: ${method} ${path} leaks the canary`);
      }
    });
    // The team's own API: the tandem is there, its content is not.
    for (const path of [`/api/v1/programmes/${programmeId}/tandems?limit=500`, `/api/v1/programmes/${programmeId}/summary`,
      `/api/v1/programmes/${programmeId}/asks`]) {
      const r = await fetchFrom(page, 'GET', path);
      check(r.status === 200, `${who}: GET ${path} answered ${r.status}`);
      check(!r.text.includes(CANARY), `${who}: GET ${path} leaks the canary`);
    }
  }

  await step('the system administrator: team pages without the content, "not found" and 404 for the workspace', async () => {
    await teamTries(admin, 'sysadmin');
    for (const path of ['/api/v1/audit?limit=500']) {
      const r = await fetchFrom(admin, 'GET', path);
      check(r.status === 200 && !r.text.includes(CANARY), `GET ${path}: ${r.status}, or it leaks the canary`);
    }
  });

  const teamContext = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 } });
  const team = (pages.team = watch(await teamContext.newPage(), 'team', problems, expected));
  team.setDefaultTimeout(30_000);
  await step('a programme administrator (appointed by the system administrator) tries the same', async () => {
    const accounts = JSON.parse((await fetchFrom(admin, 'GET', '/api/v1/accounts?limit=500')).text).items;
    const partners = new Set([subject.mentor.id, subject.mentee.id]);
    const candidate = accounts.find((a) => !a.system_admin && a.person_id !== null && !partners.has(a.person_id) && a.email);
    check(candidate, 'no account to appoint');
    const r = await fetchFrom(admin, 'PUT', `/api/v1/programmes/${programmeId}/admins/${candidate.id}`);
    check(r.status === 204, `appointing a programme administrator: HTTP ${r.status} ${r.text}`);
    await signInByMail(team, candidate.email);
    await chooseLanguage(team, 'en');
    await teamTries(team, 'programme-admin');
  });

  // ---- The ending (POST /complete and /dissolve; servers before issue 7's ending lack them).
  // The test runs against the binary built from the same tree: a missing route is a failure.
  await step('the server has the ending routes', async () => {
    check(endingRoutes, `the server (${args.tandem}) has no POST /api/v1/tandems/{id}/complete and /dissolve`);
  });
  if (endingRoutes) {
    await step('the mentee marks the tandem complete and waits for her partner', async () => {
      await mentee.reload();
      await mentee.getByRole('heading', { level: 2, name: 'Laufzeit und Abschluss' }).waitFor();
      await mentee.getByText('Läuft bis', { exact: true }).waitFor();
      await mentee.getByRole('button', { name: 'Als abgeschlossen markieren' }).click();
      await mentee.getByRole('status').filter({ hasText: `Jetzt fehlt noch die Markierung von ${subject.mentor.name}.` }).waitFor();
      await mentee.getByText(`Wir warten auf ${subject.mentor.name}.`, { exact: false }).waitFor();
      check(await mentee.getByRole('button', { name: 'Als abgeschlossen markieren' }).count() === 0, 'the button is still there after the mark');
      await mainPage(mentee, 'waiting-phone');
    });

    await step('keyboard only: the mentor opens "End early", keeps the tandem (Escape), and marks it complete', async () => {
      await mentor.reload();
      await mentor.getByText(`${subject.mentee.name} considers the tandem complete.`, { exact: false }).waitFor();
      await mentor.locator('body').focus();
      await tabUntil(mentor, (x) => x.tag === 'button' && x.label === 'End early', 'the end-early button');
      await mentor.keyboard.press('Enter');
      const dialog = mentor.getByRole('dialog', { name: `End the tandem with ${subject.mentee.name} early?` });
      await dialog.waitFor();
      check((await focusInfo(mentor)).label === 'Keep it', 'the dialog does not start on the safe choice');
      await dialog.getByText('Only the programme team reads the reason', { exact: false }).waitFor();
      await mainPage(mentor, 'end-early-dialog', false);
      await mentor.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      check((await focusInfo(mentor)).label === 'End early', 'focus did not return to "End early"');
      await tabUntil(mentor, (x) => x.tag === 'button' && x.label === 'Mark as complete', 'the complete button', { max: 10, key: 'Shift+Tab' });
      await mentor.keyboard.press('Enter');
      await mentor.getByText('Both of you marked the tandem as complete. It has ended.').waitFor();
      await mentor.getByText(/^This tandem came to its end on /).waitFor();
    });

    await step('the completed workspace is read-only for both', async () => {
      for (const [page, who, notice] of [[mentee, 'mentee', /regulär zu Ende gegangen/], [mentor, 'mentor', /came to its end/]]) {
        await page.reload();
        await page.getByText(notice).waitFor();
        await page.getByText(SHARED).waitFor();
        const controls = await page.evaluate(() =>
          [...document.querySelectorAll('.ws-page button, .ws-page textarea, .ws-page input, .ws-page select')]
            .filter((e) => !e.disabled && e.getClientRects().length > 0) // a closed dialog's buttons are not shown
            .map((e) => e.getAttribute('aria-label') ?? e.textContent));
        check(controls.length === 0, `${who}: edit controls on an ended workspace: ${controls.join(', ')}`);
        await mainPage(page, `ended-${who}`, who === 'mentor');
      }
    });

    const otherContext = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 } });
    const otherPage = (pages.other = watch(await otherContext.newPage(), 'other', problems, expected));
    otherPage.setDefaultTimeout(30_000);
    await step('a partner of another tandem ends it early with a reason for the team only', async () => {
      await signInByMail(otherPage, people[other.mentor.id].email);
      await chooseLanguage(otherPage, 'en');
      await otherPage.goto(`${base}/tandems/${other.id}/workspace`);
      await otherPage.getByRole('button', { name: 'End early' }).click();
      const dialog = otherPage.getByRole('dialog');
      await dialog.getByLabel('Reason (optional)').fill(REASON);
      const after = sink.mails.length;
      await dialog.getByRole('button', { name: 'End the tandem' }).click();
      await otherPage.getByText(/^This tandem was ended early on /).waitFor();
      await mainPage(otherPage, 'dissolved-desktop');
      const t = await (await otherPage.request.get(`${base}/api/v1/tandems/${other.id}`)).json();
      check(t.state === 'dissolved', `the other tandem is ${t.state}`);
      check(!JSON.stringify(t).includes(REASON), 'the partner\'s view of the tandem carries the reason');
      const partnerEmail = people[other.mentee.id].email;
      await sink.waitFor(partnerEmail, /./, { after });
      const mails = sink.mails.slice(after).filter((m) => m.to.includes(partnerEmail.toLowerCase()));
      check(mails.every((m) => !m.text.includes(REASON)), 'the partner\'s mail carries the reason');
    });

    await step('the team sees both tandems ended (completed, dissolved), still without the content', async () => {
      for (const path of teamPages) {
        await admin.goto(`${base}${path}`);
        await admin.waitForLoadState('networkidle');
        check(!(await pageText(admin)).includes(CANARY), `${path} shows workspace content after the end`);
        const done = await tandemItem(admin, subject);
        check(/\bCompleted\b/.test(done ?? ''), `${path}: the completed tandem shows as ${done}`);
        const early = await tandemItem(admin, other);
        check(/\bDissolved\b/.test(early ?? ''), `${path}: the dissolved tandem shows as ${early}`);
      }
      await mainPage(admin, 'team-ended');
    });
  }

  await solo('accessibility: no axe violations (WCAG 2.1 A/AA) on the workspace pages', async () => {
    check(a11y.length === 0, a11y.join('\n'));
  });
  await solo('no console errors and no CSP violations on any page', async () => {
    check(problems.length === 0, problems.join('\n'));
  });
} catch (e) {
  steps.fail('set-up', e);
} finally {
  if (browser) await browser.close().catch(() => undefined);
  await tandem.stop(steps.failed > 0);
  await sink.close();
  if (steps.failed > 0) console.log(`kept ${tmp} (server.log)`);
}
console.log(`${steps.passed} passed, ${steps.failed} failed${skipped.length ? `, ${skipped.length} skipped (${skipped.join('; ')})` : ''}`);
process.exit(steps.failed === 0 ? 0 : 1);
