// End-to-end test of the whole programme lifecycle in the browser: a real `tandem serve` on SQLite
// with the built web/dist and an SMTP sink, driven by Debian's chromium through playwright-core,
// as three people in three browser contexts.
//
//   node tests/web/lifecycle.mjs --tandem build/tandem [--dist web/dist] [--out DIR]
//        [--chromium /usr/bin/chromium]
//
// The system administrator (signed in by the one-time link of `tandem admin create`) creates a
// programme with its own topics, is shown the line errors of a bad participants CSV (nothing of
// it imported), imports a good one, opens enrolment and invites everybody. The invitation mails (caught by the SMTP sink) bring a
// mentee (German, on a 375 px phone) and a mentor (English, keyboard only: no clicks from the
// invitation page to the saved questionnaire) in; both answer the questionnaire. The
// administrator ends enrolment, queues a run, reviews the proposed tandem and publishes it; both
// accept and see their active tandem. axe-core checks every main page against WCAG 2.1 A/AA;
// no page may log an error or a Content-Security-Policy violation. Screenshots of each main page
// go to --out. Prints "ok NAME" / "FAIL NAME" lines and "N passed, N failed".
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  axeViolations, check, chromium, ensureDir, linkFrom, localInput, parseArgs, smtpSink,
  startTandem, Steps, watch,
} from './harness.mjs';

const args = parseArgs(process.argv.slice(2));
const out = ensureDir(args.out);
const pages = {}; // who → page, for screenshots after a failure
const steps = new Steps({
  onFail: async (name) => {
    const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40);
    for (const [who, page] of Object.entries(pages)) {
      await page.screenshot({ path: join(out, `lifecycle-FAILED-${slug}-${who}.png`), fullPage: true });
    }
  },
});
/** A step of the lifecycle: skipped once an earlier one failed. */
const step = (name, fn) => steps.step(name, fn, { chain: true });
const solo = (name, fn) => steps.step(name, fn);
const problems = []; // console errors and CSP violations, from every page
const expected = []; // console errors expected at the moment (a 422 answer to a bad import)
const a11y = []; // axe violations, by page
const findings = []; // other problems seen on the way that do not stop the lifecycle

const PROGRAMME = 'Tandem Lifecycle 2027';
const HEADER = 'id,name,email,department,location,manager_id,level,languages';
const PEOPLE_CSV = [
  HEADER,
  'L-100,Maria Manager,maria.manager@example.test,Board,Berlin,,5,de;en',
  'L-200,Jonas Junior,jonas.junior@example.test,IT,Berlin,,1,de;en',
  'L-300,Ole Ohnemail,,IT,Hamburg,,1,de',
].join('\n');
const BAD_CSV = [
  HEADER,
  ',Bea Broken,bea@example.test,IT,Berlin,,1,de', // line 2: no id
  'B-2,Bert Broken,bert@example.test,IT,Berlin,,eleven,de', // line 3: a level that is no number
  'B-3,Bodo Fine,bodo@example.test,IT,Berlin,,2,de', // line 4: fine
  'B-3,Bodo Twice,bodo2@example.test,IT,Berlin,,2,de', // line 5: the id of line 4 again
].join('\n');
const MENTEE = 'maria.manager@example.test';
const MENTOR = 'jonas.junior@example.test';
const TOPICS = [
  ['ai', 'Künstliche Intelligenz', 'Artificial Intelligence'],
  ['cloud', 'Cloud-Computing', 'Cloud Computing'],
  ['agile', 'Agiles Arbeiten', 'Agile Working'],
];


const sink = await smtpSink();
const tandem = await startTandem({
  tandem: args.tandem,
  dist: args.dist,
  env: {
    TANDEM_SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    TANDEM_RUN_POLL_MS: '100',
    TANDEM_MAILED_LINKS_PER_HOUR: '1000',
  },
});
const { base, cli, tmp } = tandem;
let browser = null;

/** axe on the page as it is now; violations are collected and fail the last step. */
async function axe(page, name) {
  const found = await axeViolations(page);
  for (const v of found) a11y.push(`${name}: ${v}`);
}
async function shot(page, name, fullPage = true) {
  await page.screenshot({ path: join(out, `lifecycle-${name}.png`), fullPage });
}
/** The main page check: axe and a screenshot. */
async function mainPage(page, name, fullPage = true) {
  await axe(page, name);
  await shot(page, name, fullPage);
}

/** What has the keyboard focus: tag, type, name, label, fieldset legend, topic, focus ring. */
function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return { tag: 'body' };
    const label = e.labels && e.labels[0] ? e.labels[0].textContent.trim() : (e.getAttribute('aria-label') ?? e.textContent.trim());
    const legend = e.closest('fieldset')?.querySelector('legend')?.textContent.trim() ?? '';
    const topic = e.closest('li.topic')?.querySelector('h3')?.textContent.trim() ?? '';
    return {
      tag: e.tagName.toLowerCase(), type: e.getAttribute('type') ?? '', name: e.getAttribute('name') ?? '',
      label, legend, topic, checked: e.checked === true, visible: e.matches(':focus-visible'),
    };
  });
}
/** Presses Tab (or `key`) until `want(focus)` holds; fails after `max` presses. Keyboard only. */
async function tabTo(page, want, what, max = 60, key = 'Tab') {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    if (want(f)) return f;
  }
  throw new Error(`Tab never reached ${what} (${max} presses)`);
}

try {
  const adminLink = linkFrom(cli('admin', 'create', 'admin@example.test'));
  await tandem.start();

  browser = await chromium.launch({
    executablePath: args.chromium,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  const adminContext = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 } });
  const admin = (pages.admin = watch(await adminContext.newPage(), 'admin', problems, expected));
  admin.setDefaultTimeout(30_000);
  let programmeId = null;

  await step('administrator signs in by link and works in English', async () => {
    await admin.goto(adminLink);
    await admin.waitForURL(`${base}/programmes`);
    const lang = admin.getByLabel(/^(Sprache|Language)$/);
    if ((await lang.inputValue()) !== 'en') await lang.selectOption('en');
    await admin.getByRole('heading', { level: 1, name: 'My programmes' }).waitFor();
    await mainPage(admin, 'programmes-empty');
  });

  await step('administrator creates a programme with its own topics', async () => {
    await admin.getByRole('link', { name: 'Programme team' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Manage programmes' }).waitFor();
    await mainPage(admin, 'team-list');
    await admin.getByRole('link', { name: 'New programme' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Create a programme' }).waitFor();
    await admin.getByLabel('Programme name').fill(PROGRAMME);
    await admin.getByLabel('Minimum level for mentees').fill('2');
    await admin.getByLabel('Enrolment deadline').fill(localInput(Date.now() + 2 * 86_400_000));
    for (const [i, [key, de, en]] of TOPICS.entries()) {
      await admin.getByRole('button', { name: 'Add a topic' }).click();
      const topic = admin.getByRole('group', { name: new RegExp(`^Topic ${i + 1}`) });
      await topic.getByLabel('Key').fill(key);
      await topic.getByLabel('Name (German)').fill(de);
      await topic.getByLabel('Name (English)').fill(en);
    }
    await mainPage(admin, 'programme-new');
    await admin.getByRole('button', { name: 'Create the programme' }).click();
    await admin.waitForURL(/\/team\/programmes\/\d+$/);
    programmeId = Number(/\/team\/programmes\/(\d+)$/.exec(admin.url())[1]);
    await admin.getByRole('heading', { level: 1, name: `Programme team: ${PROGRAMME}` }).waitFor();
    await admin.getByText('The programme has been created.', { exact: false }).waitFor();
  });

  await solo('a bad participants CSV shows its errors by line, and nothing is imported', async () => {
    writeFileSync(join(tmp, 'bad.csv'), `${BAD_CSV}\n`);
    await admin.goto(`${base}/admin/people`);
    await admin.getByLabel('Participants file (CSV)').setInputFiles(join(tmp, 'bad.csv'));
    await admin.getByText('Selected: bad.csv with 4 lines').waitFor();
    expected.push(/status of 422/);
    await admin.getByRole('button', { name: 'Import', exact: true }).click();
    const table = admin.getByRole('table', { name: 'Problems in the file' });
    await table.waitFor();
    const rows = [];
    for (const row of await table.locator('tbody tr').all()) {
      rows.push((await row.locator('th, td').allTextContents()).map((c) => c.trim()));
    }
    const text = rows.map((r) => r.join(' / ')).join(' | ');
    const line = (n, column, message) => rows.some((r) => r[0] === String(n) && r[1] === column && message.test(r[2]));
    check(line(2, 'id', /empty/), `no error for line 2 (id): ${text}`);
    check(line(3, 'level', /eleven/), `no error for line 3 (level): ${text}`);
    check(line(5, 'id', /duplicate.*line 4/), `no error for line 5 (duplicate id): ${text}`);
    check(rows.length === 3, `${rows.length} problems listed: ${text}`);
    await admin.getByRole('alert').filter({ hasText: 'Nothing was imported: the file has 3 problems.' }).waitFor();
    check((await admin.getByText('Bodo Fine').count()) === 0, 'a line of the failed import was imported');
    expected.length = 0;
    await mainPage(admin, 'import-errors');
    await table.scrollIntoViewIfNeeded();
    await shot(admin, 'import-errors-1280', false);
  });

  await step('administrator imports the participants CSV', async () => {
    writeFileSync(join(tmp, 'people.csv'), `${PEOPLE_CSV}\n`);
    await admin.getByLabel('Participants file (CSV)').setInputFiles(join(tmp, 'people.csv'));
    await admin.getByRole('button', { name: 'Import', exact: true }).click();
    await admin.getByText('Import finished: 3 new, 0 updated, 0 unchanged.').waitFor();
    await admin.getByRole('row').filter({ hasText: 'jonas.junior@example.test' }).waitFor();
    await mainPage(admin, 'admin-people');
  });

  await step('administrator opens enrolment and invites everybody with an e-mail address', async () => {
    await admin.goto(`${base}/team/programmes/${programmeId}`);
    await admin.getByRole('button', { name: 'Open enrolment' }).click();
    await admin.getByText('Enrolment is open.').waitFor();
    await admin.getByRole('button', { name: 'Send invitations' }).click();
    await admin.getByText('2 newly invited, 0 already invited or enrolled, 1 skipped without an e-mail address.').waitFor();
    await mainPage(admin, 'team-programme');
  });

  // The mentee: German, on a phone, by the invitation mail's link.
  const menteeContext = await browser.newContext({
    locale: 'de-DE', viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true,
  });
  const mentee = (pages.mentee = watch(await menteeContext.newPage(), 'mentee', problems));
  mentee.setDefaultTimeout(30_000);
  await step('the mentee accepts the invitation from the mail and answers the questionnaire', async () => {
    const link = (await sink.waitFor(MENTEE, /(https?:\/\/\S+#invitation=[A-Za-z0-9_-]+)/))[1];
    check(link.startsWith(`${base}/welcome`), `invitation link ${link}`);
    await mentee.goto(link);
    await mentee.getByRole('heading', { level: 1, name: 'Willkommen bei Tandem' }).waitFor();
    await mainPage(mentee, 'welcome-phone', false);
    await mentee.getByRole('button', { name: 'Einladung annehmen' }).click();
    await mentee.waitForURL(new RegExp(`/programmes/${programmeId}`));
    await mentee.getByRole('heading', { level: 1, name: `Fragebogen: ${PROGRAMME}` }).waitFor();
    await mentee.getByLabel('Wie viele Mentorinnen oder Mentoren suchen Sie?').selectOption('1');
    const topics = mentee.locator('li.topic');
    for (const i of [0, 1]) {
      await topics.nth(i).getByRole('group', { name: 'Interesse' }).getByText('sehr interessiert').click();
    }
    await mentee.getByRole('button', { name: 'Speichern' }).click();
    await mentee.getByText('Gespeichert.').waitFor();
    const scroll = await mentee.evaluate(() => document.documentElement.scrollWidth);
    check(scroll <= 375, `the questionnaire is ${scroll} px wide on a 375 px screen`);
    await mainPage(mentee, 'enrolment-phone', false);
    await mentee.locator('li.topic h3').first().evaluate((e) => {
      e.scrollIntoView({ block: 'start' });
      window.scrollBy(0, -70);
    });
    await shot(mentee, 'enrolment-phone-topic', false);
    await mentee.getByRole('link', { name: 'Meine Programme' }).click();
    await mentee.getByRole('heading', { name: PROGRAMME }).waitFor();
    await mentee.getByText('Angemeldet', { exact: true }).waitFor();
    await mainPage(mentee, 'programmes-phone', false);
  });

  // The mentor: English, keyboard only from the invitation page to the saved questionnaire.
  const mentorContext = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 } });
  const mentor = (pages.mentor = watch(await mentorContext.newPage(), 'mentor', problems));
  mentor.setDefaultTimeout(30_000);
  await step('keyboard only: the mentor accepts the invitation and fills in the questionnaire', async () => {
    await mentor.goto(`${base}/programmes`);
    await mentor.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await mainPage(mentor, 'sign-in', false);
    const link = (await sink.waitFor(MENTOR, /(https?:\/\/\S+#invitation=[A-Za-z0-9_-]+)/))[1];
    await mentor.goto(link);
    await mentor.getByRole('heading', { level: 1, name: /Welcome to Tandem|Willkommen bei Tandem/ }).waitFor();
    await tabTo(mentor, (f) => f.tag === 'button' && /Accept the invitation|Einladung annehmen/.test(f.label), 'the accept button');
    await mentor.keyboard.press('Enter');
    await mentor.waitForURL(new RegExp(`/programmes/${programmeId}`));
    await mentor.getByRole('heading', { level: 1, name: new RegExp(`^(Fragebogen|Questionnaire): ${PROGRAMME}$`) }).waitFor();
    // Mentor capacity: 1 (a select: the arrow keys change it without opening it).
    const capacity = /^(How many people would you like to mentor\?|Wie viele Personen möchten Sie als Mentorin oder Mentor begleiten\?)$/;
    const select = await tabTo(mentor, (f) => f.tag === 'select' && capacity.test(f.label), 'the mentor capacity');
    check(select.visible, 'the focused select shows no focus ring');
    await mentor.keyboard.press('ArrowDown');
    check((await mentor.getByLabel(capacity).inputValue()) === '1', 'mentor capacity not 1');
    // Back to the language switch in the header (Shift+Tab), to English; the unsaved answer stays.
    const lang = await tabTo(mentor, (f) => f.tag === 'select' && /^(Sprache|Language)$/.test(f.label), 'the language switch', 20, 'Shift+Tab');
    check(lang.visible, 'the focused language switch shows no focus ring');
    await mentor.keyboard.press('End'); // the last option: English
    await mentor.getByRole('heading', { level: 1, name: `Questionnaire: ${PROGRAMME}` }).waitFor();
    await mentor.waitForLoadState('networkidle');
    if ((await mentor.getByLabel(capacity).inputValue()) !== '1') {
      findings.push('the questionnaire: switching the language threw away the unsaved mentor capacity');
      await tabTo(mentor, (f) => f.tag === 'select' && capacity.test(f.label), 'the mentor capacity');
      await mentor.keyboard.press('ArrowDown');
    }
    // Every topic's two scales in order; skill "expert" on the first two topics, with the
    // experience text that it requires.
    const topicCount = await mentor.locator('li.topic').count();
    check(topicCount >= 3, `only ${topicCount} topics`);
    const reached = [];
    for (let i = 0; i < topicCount; i++) {
      const interest = await tabTo(mentor, (f) => f.type === 'radio' && f.legend === 'Interest', `topic ${i + 1}'s interest`, 12);
      check(interest.checked && interest.visible, `topic ${i + 1}: focus not on the checked radio with a visible focus`);
      if (i >= 2) await mentor.keyboard.press('ArrowRight'); // a little interest
      const skill = await tabTo(mentor, (f) => f.type === 'radio' && f.legend === 'Skill', `topic ${i + 1}'s skill`, 3);
      check(skill.topic === interest.topic, `the skill of ${skill.topic} follows the interest of ${interest.topic}`);
      reached.push(skill.topic);
      if (i < 2) {
        for (let k = 0; k < 3; k++) await mentor.keyboard.press('ArrowRight');
        const text = await tabTo(mentor, (f) => f.tag === 'textarea', `topic ${i + 1}'s experience`, 1);
        check(text.label === `Your experience with “${skill.topic}”`, `experience label ${text.label}`);
        await mentor.keyboard.type(`Three years of ${skill.topic} projects in our IT department.`);
      }
    }
    check(new Set(reached).size === topicCount, `topics reached: ${reached.join(', ')}`);
    await tabTo(mentor, (f) => f.tag === 'button' && f.label === 'Save', 'the Save button', 6);
    await mentor.keyboard.press('Enter');
    await mentor.getByText('Saved.', { exact: true }).waitFor();
    const me = await (await mentor.request.get(`${base}/api/v1/programmes/${programmeId}/enrolment`)).json();
    check(me.state === 'enrolled' && me.mentor_capacity === 1, `enrolment ${me.state}, capacity ${me.mentor_capacity}`);
    const expert = me.answers.filter((a) => a.skill === 3 && a.experience.length > 20);
    check(expert.length === 2, `${expert.length} expert answers with experience saved`);
    check(me.answers.filter((a) => a.interest === 1).length === topicCount - 2, 'the interests typed were not saved');
    await mainPage(mentor, 'enrolment-desktop');
  });

  await step('administrator ends enrolment, queues a run and reviews the proposed tandem', async () => {
    await admin.goto(`${base}/team/programmes/${programmeId}`);
    await admin.getByRole('link', { name: 'Edit settings' }).click();
    await admin.getByLabel('Enrolment deadline').fill(localInput(Date.now() - 60_000));
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await admin.getByText('The settings have been saved.').waitFor();
    await mainPage(admin, 'programme-settings');
    await admin.goto(`${base}/team/programmes/${programmeId}`);
    await admin.getByLabel('Objective').selectOption('optimal');
    await admin.getByRole('button', { name: 'Start a run' }).click();
    await admin.getByRole('heading', { level: 3, name: 'Proposed tandems' }).waitFor({ timeout: 30_000 });
    const pair = admin.getByRole('list', { name: 'Proposed tandems' }).getByRole('listitem').filter({ hasText: 'Maria Manager' });
    await pair.getByText('Jonas Junior').waitFor();
    await mainPage(admin, 'run-review');
  });

  await step('administrator publishes the run', async () => {
    await admin.getByRole('button', { name: 'Publish', exact: true }).click();
    await admin.getByText('1 tandem proposed, 2 e-mails sent.').waitFor({ timeout: 15_000 });
    await shot(admin, 'published');
    await admin.getByRole('heading', { name: /^Run \d+: result$/ }).evaluate((e) => e.scrollIntoView());
    await shot(admin, 'run-review-1280', false);
  });

  await step('both partners get the proposal by mail, accept it and see their active tandem', async () => {
    await sink.waitFor(MENTEE, /\/tandems/);
    await sink.waitFor(MENTOR, /\/tandems/);
    await mentee.goto(`${base}/tandems`);
    await mentee.getByRole('heading', { level: 1, name: 'Meine Tandems' }).waitFor();
    await mentee.getByText('Jonas Junior').first().waitFor();
    await mainPage(mentee, 'tandem-proposed-phone', false);
    await mentee.getByRole('button', { name: 'Annehmen' }).click();
    await mentee.getByText('Sie haben angenommen').waitFor();
    await mentor.goto(`${base}/tandems`);
    await mentor.getByText('Maria Manager').first().waitFor();
    await mentor.getByRole('button', { name: 'Accept' }).click();
    await mentor.getByText('Active', { exact: true }).waitFor();
    await mainPage(mentor, 'tandem-active');
    await mentee.reload();
    await mentee.getByRole('heading', { level: 2, name: 'Aktive Tandems (1)' }).waitFor();
    await mentee.getByText('Aktiv', { exact: true }).waitFor();
    await shot(mentee, 'tandem-active-phone', false);
    await mentor.reload();
    await mentor.getByRole('heading', { level: 2, name: 'Active tandems (1)' }).waitFor();
    await shot(mentor, 'tandem-active-1280', false);
  });

  await step('the team sees the active tandem', async () => {
    await admin.goto(`${base}/team/programmes/${programmeId}`);
    await admin.getByRole('img', { name: 'Tandems' }).waitFor();
    await mainPage(admin, 'team-programme-running');
  });

  await step('the team sees no meeting numbers for one tandem and opens the asks to leadership', async () => {
    // One active tandem is fewer than five: the summary says so and shows no number.
    await admin.getByText('Too few tandems to show.').waitFor();
    await admin.getByRole('link', { name: 'Asks to leadership' }).click();
    await admin.getByRole('heading', { level: 2, name: 'Asks to leadership' }).waitFor();
    await admin.getByText(/^No asks yet\./).waitFor();
    await mainPage(admin, 'team-asks');
  });

  await solo('accessibility: no axe violations (WCAG 2.1 A/AA) on the main pages', async () => {
    check(a11y.length === 0, a11y.join('\n'));
  });
  await solo('no answers lost on the way', async () => {
    check(findings.length === 0, findings.join('\n'));
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
