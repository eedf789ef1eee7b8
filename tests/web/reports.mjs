// End-to-end test of evaluation and reports (issue 8; docs/reports.md) in the browser: a real
// `tandem serve` on SQLite with a master key, the built web/dist and an SMTP sink, driven by
// Debian's chromium through playwright-core.
//
//   node tests/web/reports.mjs --tandem build/tandem [--dist web/dist] [--out DIR]
//        [--chromium /usr/bin/chromium]
//
// `tandem demo` seeds a running programme (examples/cohort.csv) with five active tandems. The
// administrator sets the minimum group size (a value below 3 is refused at its field) and turns
// on partner feedback, opens the mid-term survey for mentees and the final survey for mentors
// (each through its confirmation dialog). Four mentees answer the mid-term survey in the browser
// (the first in German on a 375 px phone: the required questions are named and focused before
// anything is sent, the page does not scroll sideways), all five mentors answer the final
// survey (one with the keyboard alone). Two partners give each other feedback: "waiting for your
// partner" until both gave, then each reads the other's text. The administrator closes both
// surveys: the mentors' results are shown, the group of four mentees is "too few to show"
// everywhere (survey page, dashboard), and a mentee's answers are frozen. The dashboard draws
// its charts (each an image with a text alternative), offers only the available filters, and
// the exports download. axe-core checks every new page; no page may log an unexpected error or
// a CSP violation. Screenshots go to --out as reports-NAME.png.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  axeViolations, check, chromium, demoSignIns, ensureDir, focusInfo, parseArgs, ROOT, smtpSink,
  startTandem, Steps, tabUntil, watch,
} from './harness.mjs';

const args = parseArgs(process.argv.slice(2));
const out = ensureDir(args.out);
const pages = {}; // who → page, for screenshots after a failure
const steps = new Steps({
  onFail: async (name) => {
    const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40);
    for (const [who, page] of Object.entries(pages)) {
      if (page.isClosed()) continue;
      await page.screenshot({ path: join(out, `reports-FAILED-${slug}-${who}.png`), fullPage: true }).catch(() => undefined);
    }
  },
});
const step = (name, fn) => steps.step(name, fn, { chain: true });
const solo = (name, fn) => steps.step(name, fn);
const problems = [];
const expected = [];
const a11y = [];
const TOO_FEW = /too few to show|zu wenige, um sie zu zeigen/i;
const FEEDBACK_MENTEE = 'Danke für die vielen praktischen Beispiele zur Cloud-Sicherheit!';
const FEEDBACK_MENTOR = 'Thank you for showing me how decisions are prepared at board level.';

const sink = await smtpSink();
const tandem = await startTandem({
  tandem: args.tandem,
  dist: args.dist,
  env: { TANDEM_SMTP_URL: `smtp://127.0.0.1:${sink.port}`, TANDEM_MAILED_LINKS_PER_HOUR: '1000' },
});
const { base, cli, tmp } = tandem;
let browser = null;

async function axe(page, name) {
  for (const v of await axeViolations(page)) a11y.push(`${name}: ${v}`);
}
async function shot(page, name, fullPage = true) {
  await page.screenshot({ path: join(out, `reports-${name}.png`), fullPage });
}
async function mainPage(page, name, fullPage = true) {
  await axe(page, name);
  await shot(page, name, fullPage);
}
async function expecting(patterns, fn) {
  expected.push(...patterns);
  try {
    return await fn();
  } finally {
    expected.length = 0;
  }
}
function fetchFrom(page, method, path, body, ifMatch) {
  return page.evaluate(async ({ method, path, body, ifMatch }) => {
    const headers = { Accept: 'application/json' };
    if (ifMatch) headers['If-Match'] = ifMatch;
    if (method !== 'GET') headers['X-CSRF-Token'] = window.localStorage.getItem('tandem.csrf') ?? '';
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, text: await r.text(), headers: Object.fromEntries(r.headers.entries()) };
  }, { method, path, body, ifMatch });
}
async function signInByMail(page, email) {
  const after = sink.mails.length;
  const r = await fetch(`${base}/api/v1/sign-in-links`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email }),
  });
  check(r.status === 202, `sign-in link for ${email}: HTTP ${r.status}`);
  const m = await sink.waitFor(email, /(https?:\/\/\S*\/sign-in#link=[A-Za-z0-9_-]+)/, { after });
  await page.goto(m[1]);
  // Redeemed once the app leaves /sign-in (the CSRF token is stored by then).
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  await page.waitForLoadState('networkidle');
}
async function chooseLanguage(page, language) {
  const select = page.getByLabel(/^(Sprache|Language)$/);
  if ((await select.inputValue()) === language) return;
  const stored = page.waitForResponse((r) => r.url().endsWith('/api/v1/me') && r.request().method() === 'PUT', { timeout: 30_000 });
  await select.selectOption(language);
  await stored;
}
/** A new browser context and page for a person, signed in by a mailed link. */
async function personPage(who, email, { language = 'en', phone = false } = {}) {
  const context = await browser.newContext(phone
    ? { locale: 'de-DE', viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true }
    : { locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const page = (pages[who] = watch(await context.newPage(), who, problems, expected));
  page.setDefaultTimeout(30_000);
  await signInByMail(page, email);
  // The account's language arrives with the session: choose only once the page shows it.
  await page.goto(`${base}/programmes`);
  await page.getByRole('heading', { level: 1, name: /^(My programmes|Meine Programme)$/ }).waitFor();
  await page.waitForLoadState('networkidle');
  await chooseLanguage(page, language);
  await page.getByRole('heading', { level: 1, name: language === 'de' ? 'Meine Programme' : 'My programmes' }).waitFor();
  return page;
}

/** Answers every question of the open survey form with the mouse: scale 4, NPS 9, first choice, 2 per topic, a text. */
async function fillSurvey(page, text) {
  const questions = page.locator('form.sv-form .sv-question');
  const n = await questions.count();
  check(n > 0, 'the survey form shows no questions');
  for (let i = 0; i < n; i++) {
    const q = questions.nth(i);
    if (await q.locator('textarea').count()) {
      await q.locator('textarea').fill(text);
      continue;
    }
    const topics = q.locator('fieldset.sv-topic');
    if (await topics.count()) {
      for (let j = 0; j < (await topics.count()); j++) await topics.nth(j).locator('input[value="2"]').check();
      continue;
    }
    const radios = q.locator('input[type=radio]');
    const count = await radios.count();
    if (await q.locator('.sv-choice').count()) await radios.first().check();
    else if (count === 11) await q.locator('input[value="9"]').check();
    else await q.locator('input[value="4"]').check();
  }
}

/** The participant opens the survey from "Surveys" in the header, answers and sends it. */
async function answerSurvey(page, title, { language = 'en', text = 'More time for the tandem.', link = null } = {}) {
  if (link) {
    await page.goto(link); // the invitation mail's link
  } else {
    await page.getByRole('navigation').getByRole('link', { name: language === 'de' ? 'Umfragen' : 'Surveys' }).click();
    await page.getByRole('heading', { level: 1, name: language === 'de' ? 'Ihre Umfragen' : 'Your surveys' }).waitFor();
    await page.locator('li.sv-item').filter({ hasText: title }).getByRole('link', { name: /^(Answer|Beantworten)/ }).click();
  }
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await fillSurvey(page, text);
  await page.getByRole('button', { name: language === 'de' ? 'Antworten absenden' : 'Send answers' }).click();
  await page.getByRole('status').filter({ hasText: language === 'de' ? 'Ihre Antworten sind gespeichert' : 'Your answers are saved' }).waitFor();
}

try {
  // ---- Seeding: the demo on a running programme, with a master key.
  const keyFile = join(tmp, 'master.key');
  execFileSync(args.tandem, ['keys', 'generate', '--out', keyFile], { env: tandem.env, stdio: 'ignore' });
  tandem.env.TANDEM_MASTER_KEY_FILE = keyFile;
  const cohort = join(ROOT, 'examples', 'cohort.csv');
  cli('import', cohort);
  const programmeId = Number(cli('programme', 'create', 'Reports E2E', '--mentee-min-level', '2').trim());
  cli('import', cohort, '--programme', String(programmeId));
  const links = demoSignIns(cli('demo', '--programme', String(programmeId)));
  check(links.admin, 'tandem demo printed no administrator link');
  await tandem.start();

  browser = await chromium.launch({
    executablePath: args.chromium,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  const adminContext = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const admin = (pages.admin = watch(await adminContext.newPage(), 'admin', problems, expected));
  admin.setDefaultTimeout(30_000);

  const people = {}; // person id → {name, email}
  let active = []; // the active tandems
  const surveyIds = {}; // "mid_term.mentees" → id
  const invitationLinks = {}; // mentee id → the link of the survey invitation mail

  await step('the administrator signs in; the programme has five active tandems and four surveys', async () => {
    await admin.goto(links.admin);
    await admin.waitForURL(`${base}/programmes`);
    await admin.waitForLoadState('networkidle');
    await chooseLanguage(admin, 'en');
    const r = await fetchFrom(admin, 'GET', `/api/v1/programmes/${programmeId}/tandems?limit=500`);
    check(r.status === 200, `tandems: HTTP ${r.status}`);
    active = JSON.parse(r.text).items.filter((x) => x.state === 'active').sort((a, b) => a.id - b.id);
    check(active.length >= 5, `only ${active.length} active tandems`);
    for (const t of active) {
      for (const p of [t.mentor, t.mentee]) {
        const person = JSON.parse((await fetchFrom(admin, 'GET', `/api/v1/people/${p.id}`)).text);
        check(person.email, `${person.name} has no e-mail address`);
        people[p.id] = { name: person.name, email: person.email };
      }
    }
    const s = await fetchFrom(admin, 'GET', `/api/v1/programmes/${programmeId}/surveys`);
    check(s.status === 200, `surveys: HTTP ${s.status} ${s.text}`);
    for (const x of JSON.parse(s.text).surveys) surveyIds[`${x.kind}.${x.audience}`] = x.id;
    check(Object.keys(surveyIds).length === 4, `surveys: ${JSON.stringify(surveyIds)}`);
  });

  await step('settings: the minimum group size is fixed in a running programme, below 3 refused; partner feedback on', async () => {
    await admin.goto(`${base}/team/programmes/${programmeId}/settings`);
    const size = admin.getByLabel('Minimum group size in reports');
    await size.waitFor();
    check((await size.inputValue()) === '5', `the default minimum group size is ${await size.inputValue()}`);
    check((await size.getAttribute('readonly')) !== null, 'the minimum group size is editable in a running programme');
    await admin.getByText('Fixed since enrolment opened').waitFor();
    // The server refuses a value below 3 (400, naming the field) and any change once enrolment opened (409).
    const p = await fetchFrom(admin, 'GET', `/api/v1/programmes/${programmeId}`);
    const programme = JSON.parse(p.text);
    const { id: _i, state: _s, closed_at: _c, version, ...input } = programme;
    const bad = await expecting([/status of 400/], () =>
      fetchFrom(admin, 'PUT', `/api/v1/programmes/${programmeId}`, { ...input, min_group_size: 2 }, `"${version}"`));
    check(bad.status === 400 && bad.text.includes('min_group_size'), `PUT min_group_size 2: HTTP ${bad.status} ${bad.text}`);
    const fixed = await expecting([/status of 409/], () =>
      fetchFrom(admin, 'PUT', `/api/v1/programmes/${programmeId}`, { ...input, min_group_size: 7 }, `"${version}"`));
    check(fixed.status === 409 && fixed.text.includes('min_group_size'), `PUT min_group_size 7: HTTP ${fixed.status} ${fixed.text}`);
    await admin.getByRole('checkbox', { name: 'Feedback between tandem partners' }).check();
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await admin.getByText('The settings have been saved.').waitFor();
    for (let i = 0; i < 50; i++) {
      const again = JSON.parse((await fetchFrom(admin, 'GET', `/api/v1/programmes/${programmeId}`)).text);
      if (again.partner_feedback === true) break;
      check(i < 49, 'partner_feedback was not saved');
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  await step('the administrator opens two surveys on the Surveys tab (each confirmed)', async () => {
    await admin.goto(`${base}/team/programmes/${programmeId}`);
    await admin.getByRole('navigation', { name: 'Views of the programme' }).getByRole('link', { name: 'Surveys' }).click();
    await admin.waitForURL(`${base}/team/programmes/${programmeId}/surveys`);
    for (const title of ['Mid-term survey for mentees', 'Final survey for mentors']) {
      const card = admin.locator('section.card').filter({ has: admin.getByRole('heading', { level: 2, name: new RegExp(`^${title}`) }) });
      // The button's hidden ": <survey>" makes its name unique on the page.
      await card.getByRole('button', { name: new RegExp(`^Open survey\\W+${title}$`) }).click();
      const dialog = admin.getByRole('dialog');
      await dialog.getByText('Every participant of this group gets an invitation by e-mail').waitFor();
      await dialog.getByRole('button', { name: 'Open survey' }).click();
      await card.getByRole('status').filter({ hasText: 'The survey is open' }).waitFor();
      await card.getByText('Open', { exact: true }).waitFor();
    }
    await mainPage(admin, 'team-surveys-open');
    // The invitations went out: one to each mentee of an active tandem.
    for (const t of active) {
      const m = await sink.waitFor(people[t.mentee.id].email, /(https?:\/\/\S*\/surveys\/(\d+))/);
      check(Number(m[2]) === surveyIds['mid_term.mentees'], `the invitation links to ${m[1]}`);
      invitationLinks[t.mentee.id] = m[1];
    }
  });

  await step('a mentee in German on a phone: required questions named and focused, then answered', async () => {
    const first = active[0];
    const page = await personPage('mentee0', people[first.mentee.id].email, { language: 'de', phone: true });
    await page.getByRole('navigation').getByRole('link', { name: 'Umfragen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ihre Umfragen' }).waitFor();
    await mainPage(page, 'my-surveys-phone', false);
    await page.locator('li.sv-item').filter({ hasText: 'Zwischenumfrage' }).getByRole('link', { name: /^Beantworten/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Zwischenumfrage' }).waitFor();
    await page.getByRole('button', { name: 'Antworten absenden' }).click();
    await page.getByRole('alert').filter({ hasText: /noch Ihre Aufmerksamkeit/ }).waitFor();
    const f = await focusInfo(page);
    check(f.type === 'radio' && f.legend.includes('Pflichtfrage'), `focus after the missing answers: ${JSON.stringify(f)}`);
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    check(scroll <= 375, `the survey is ${scroll} px wide on a 375 px screen`);
    await mainPage(page, 'survey-errors-phone', false);
    await fillSurvey(page, 'Mehr Zeit für gemeinsame Termine.');
    await page.getByRole('button', { name: 'Antworten absenden' }).click();
    await page.getByRole('status').filter({ hasText: 'Ihre Antworten sind gespeichert' }).waitFor();
    await shot(page, 'survey-answered-phone', true);
  });

  await step('three more mentees answer the mid-term survey (four in all)', async () => {
    for (let i = 1; i <= 3; i++) {
      const page = await personPage(`mentee${i}`, people[active[i].mentee.id].email);
      await answerSurvey(page, 'Mid-term survey', { link: i === 3 ? invitationLinks[active[i].mentee.id] : null });
      if (i === 1) await mainPage(page, 'survey-desktop');
      await page.context().close();
      delete pages[`mentee${i}`];
    }
  });

  await step('keyboard only: a mentor answers the final survey', async () => {
    const page = await personPage('mentor0', people[active[0].mentor.id].email);
    await page.goto(`${base}/surveys/${surveyIds['final.mentors']}`);
    await page.getByRole('heading', { level: 1, name: 'Final survey' }).waitFor();
    await page.locator('body').focus();
    // Each radio group is one Tab stop; the arrow keys choose within it.
    let f = await tabUntil(page, (x) => x.type === 'radio', 'the first question', { max: 30 });
    let groups = 0;
    for (let i = 0; i < 200; i++) {
      if (f.tag === 'button' && /^Send answers$/.test(f.label)) break;
      if (f.type === 'radio' && !f.checked) {
        // Space chooses the first option, the arrow keys move on: the same answers as the others.
        const { count, choice } = await page.evaluate(() => ({
          count: document.querySelectorAll(`input[type=radio][name="${document.activeElement.getAttribute('name')}"]`).length,
          choice: document.activeElement.closest('.sv-choices') !== null,
        }));
        const steps = choice ? 0 : count === 5 ? 3 : count === 11 ? 9 : count === 4 ? 2 : 0;
        await page.keyboard.press('Space');
        for (let k = 0; k < steps; k++) await page.keyboard.press('ArrowRight');
        groups++;
      } else if (f.tag === 'textarea') {
        await page.keyboard.type('More exchange between the tandems.');
      }
      check(f.visible || f.tag === 'textarea', `no visible focus on ${JSON.stringify(f)}`);
      await page.keyboard.press('Tab');
      f = await focusInfo(page);
    }
    check(f.tag === 'button' && f.label === 'Send answers', `Tab never reached the send button (last: ${JSON.stringify(f)})`);
    check(groups >= 3, `only ${groups} radio groups answered by keyboard`);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Your answers are saved' }).waitFor();
    await page.context().close();
    delete pages.mentor0;
  });

  await step('the other four mentors answer the final survey (five in all)', async () => {
    for (let i = 1; i < 5; i++) {
      const page = await personPage(`mentor${i}`, people[active[i].mentor.id].email);
      await answerSurvey(page, 'Final survey');
      await page.context().close();
      delete pages[`mentor${i}`];
    }
  });

  await step('partner feedback: waiting for the partner until both gave, then each reads the other', async () => {
    const t = active[0];
    const mentee = pages.mentee0;
    await mentee.goto(`${base}/tandems/${t.id}/workspace`);
    const section = mentee.locator('section').filter({ has: mentee.getByRole('heading', { level: 2, name: 'Rückmeldung an Ihr Tandem' }) });
    await section.getByLabel(`Ihre Rückmeldung an ${t.mentor.name}`).fill(FEEDBACK_MENTEE);
    await section.getByRole('button', { name: 'Rückmeldung senden' }).click();
    await section.getByText(`Die Rückmeldung von ${t.mentor.name} erscheint hier`).waitFor();
    await section.evaluate((e) => e.scrollIntoView());
    await mainPage(mentee, 'feedback-waiting-phone', false);
    const mentor = await personPage('mentorF', people[t.mentor.id].email);
    await mentor.goto(`${base}/tandems/${t.id}/workspace`);
    const mine = mentor.locator('section').filter({ has: mentor.getByRole('heading', { level: 2, name: 'Feedback to your partner' }) });
    await mine.getByText(`${t.mentee.name} has already written`).waitFor();
    check(!(await mentor.evaluate(() => document.body.innerText)).includes(FEEDBACK_MENTEE), 'the mentor reads the feedback before giving his');
    await mine.getByLabel(`Your feedback to ${t.mentee.name}`).fill(FEEDBACK_MENTOR);
    await mine.getByRole('button', { name: 'Send feedback' }).click();
    await mine.getByText(FEEDBACK_MENTEE).waitFor();
    await mine.evaluate((e) => e.scrollIntoView());
    await mainPage(mentor, 'feedback-both');
    await mentee.reload();
    await mentee.getByText(FEEDBACK_MENTOR).waitFor();
    // Never for the team.
    const team = await expecting([/status of 40[34]/], () => fetchFrom(admin, 'GET', `/api/v1/tandems/${t.id}/feedback`));
    check(team.status === 404 || team.status === 403, `the team reads the feedback: HTTP ${team.status}`);
  });

  await step('the administrator closes both surveys: the mentors are shown, the four mentees are too few', async () => {
    await admin.goto(`${base}/team/programmes/${programmeId}/surveys`);
    for (const title of ['Mid-term survey for mentees', 'Final survey for mentors']) {
      const card = admin.locator('section.card').filter({ has: admin.getByRole('heading', { level: 2, name: new RegExp(`^${title}`) }) });
      await card.getByRole('button', { name: new RegExp(`^Close survey\\W+${title}$`) }).click();
      await admin.getByRole('dialog').getByRole('button', { name: 'Close survey' }).click();
      await card.getByRole('status').filter({ hasText: 'The survey is closed.' }).waitFor();
    }
    const mentees = admin.locator('section.card').filter({ has: admin.getByRole('heading', { level: 2, name: /^Mid-term survey for mentees/ }) });
    await mentees.getByText('Responses counted').waitFor();
    const text = await mentees.innerText();
    check(TOO_FEW.test(text), `the mid-term mentees' results are not "too few to show": ${text}`);
    check(!/Mean \(1–5\): \d/.test(text), `a mean of four people is shown: ${text}`);
    const mentors = admin.locator('section.card').filter({ has: admin.getByRole('heading', { level: 2, name: /^Final survey for mentors/ }) });
    await mentors.getByText('Responses counted').waitFor();
    const mt = await mentors.innerText();
    check(/Responses counted: 5/.test(mt), `the mentors' results: ${mt.slice(0, 400)}`);
    check((await mentors.getByRole('img').count()) > 0, 'the mentors\' results draw no chart');
    await mainPage(admin, 'team-surveys-results');
  });

  await step('a mentee sees her answers frozen after the release', async () => {
    const page = pages.mentee0;
    await page.goto(`${base}/surveys`);
    await page.locator('li.sv-item').filter({ hasText: 'Zwischenumfrage' }).getByText('Ausgewertet').waitFor();
    await page.locator('li.sv-item').filter({ hasText: 'Zwischenumfrage' }).getByRole('link', { name: /^Ihre Antworten ansehen/ }).click();
    await page.getByText('Ihre Antworten sind in veröffentlichte Ergebnisse eingeflossen').waitFor();
    check((await page.getByRole('button', { name: /Antworten absenden|Änderungen speichern/ }).count()) === 0, 'a frozen survey can be sent');
    await mainPage(page, 'survey-frozen-phone', false);
  });

  await step('the dashboard draws its charts; the group of four is "too few to show"', async () => {
    await admin.goto(`${base}/team/programmes/${programmeId}/dashboard`);
    await admin.getByRole('heading', { level: 2, name: 'Participation' }).waitFor();
    await admin.waitForLoadState('networkidle');
    const charts = admin.locator('figure.rc-chart [role=img]');
    check((await charts.count()) >= 3, `only ${await charts.count()} charts`);
    // Every chart is described by a table with the same figures.
    const undescribed = await admin.evaluate(() => [...document.querySelectorAll('figure.rc-chart [role=img]')]
      .filter((e) => !document.getElementById(e.getAttribute('aria-describedby') ?? '')?.querySelector('td')).length);
    check(undescribed === 0, `${undescribed} charts without their table`);
    check((await admin.locator('.recharts-surface').count()) >= 3, 'recharts drew no SVG');
    const surveys = admin.locator('section').filter({ has: admin.getByRole('heading', { level: 2, name: 'Surveys' }) });
    const row = surveys.getByRole('row', { name: /Mid-term survey for mentees/ });
    const rowText = await row.innerText();
    check(TOO_FEW.test(rowText), `the mid-term mentees' row: ${rowText}`);
    const mentorsRow = await surveys.getByRole('row', { name: /Final survey for mentors/ }).innerText();
    check(/\b5\b/.test(mentorsRow), `the final mentors' row: ${mentorsRow}`);
    const funnel = JSON.parse((await fetchFrom(admin, 'GET', `/api/v1/programmes/${programmeId}/dashboard`)).text).funnel;
    check(funnel.some((s) => typeof s.count === 'number' && s.count > 0), `funnel: ${JSON.stringify(funnel)}`);
    await mainPage(admin, 'dashboard');
  });

  await step('dashboard filters: only the offered values; the exports download', async () => {
    const d = JSON.parse((await fetchFrom(admin, 'GET', `/api/v1/programmes/${programmeId}/dashboard`)).text);
    let filtered = null;
    for (const [key, label] of [['department', 'Department'], ['location', 'Location']]) {
      const select = admin.getByRole('combobox', { name: label });
      const options = await select.locator('option').allInnerTexts();
      const available = d.filters[key].filter((x) => x.available && x.value).map((x) => x.value);
      check(JSON.stringify(options.slice(1)) === JSON.stringify(available), `${key}: offered ${options.slice(1)} but available ${available}`);
      for (const x of d.filters[key].filter((v) => !v.available && v.value)) {
        check(!options.includes(x.value), `the unavailable ${key} ${x.value} is offered`);
      }
      console.log(`# ${key}: ${available.length} of ${d.filters[key].length} values offered`);
      if (!filtered && available.length > 0) filtered = { key, select, value: available[0] };
    }
    await admin.getByText('other values are not available').waitFor();
    if (filtered) {
      await filtered.select.selectOption(filtered.value);
      await admin.getByRole('status').filter({ hasText: `Filtered by: ${filtered.value}` }).waitFor();
      await admin.waitForURL((u) => u.searchParams.get(filtered.key) === filtered.value);
      await admin.getByRole('heading', { level: 2, name: 'Participation' }).waitFor();
      const href = await admin.getByRole('link', { name: 'Dashboard as CSV' }).getAttribute('href');
      check(href.includes(`${filtered.key}=`), `the export ignores the filter: ${href}`);
      await mainPage(admin, 'dashboard-filtered');
    }
    for (const name of ['Dashboard as CSV', 'Dashboard as Excel', 'Tandem list as CSV', 'Tandem list as Excel']) {
      const link = admin.getByRole('link', { name });
      const href = await link.getAttribute('href');
      const r = await fetchFrom(admin, 'GET', href);
      check(r.status === 200, `${name}: HTTP ${r.status}`);
      check(/attachment/.test(r.headers['content-disposition'] ?? ''), `${name}: ${r.headers['content-disposition']}`);
    }
    const download = admin.waitForEvent('download');
    await admin.getByRole('link', { name: 'Dashboard as CSV' }).click();
    const file = await download;
    check(/^programme-\d+-dashboard\.csv$/.test(file.suggestedFilename()), `download: ${file.suggestedFilename()}`);
  });

  await solo('accessibility: no axe violations (WCAG 2.1 A/AA) on the new pages', async () => {
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
console.log(`${steps.passed} passed, ${steps.failed} failed`);
process.exit(steps.failed === 0 ? 0 : 1);
