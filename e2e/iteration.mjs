// One whole iteration in the Agents Playground's web page, by clicking where a button exists, in
// English or, after `sprache de`, in German (every button found by its German title).
// Usage: node iteration.mjs <playground url> <screenshot dir> <en|de> <vocabulary.json>
// (run by e2e/run.py inside a loopback-only network namespace). Every answer is checked for the
// other language (languages.mjs; a German user's only after `sprache de`): what it finds is
// listed in <screenshot dir>/findings.txt and fails the run at its end, unless
// known-english.txt lists it (for the German pass).
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { wrongLanguageCheck } from './languages.mjs';
import { Chat, DESKTOP } from './page.mjs';
import { translator } from './texts.mjs';

const [url, outDir, language, vocabularyFile] = process.argv.slice(2);
const GERMAN = language === 'de';
const t = translator(language);
const CUSTOMER = GERMAN ? 'Contoso' : 'Fabrikam';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const beside = (name) => new URL(`./${name}`, import.meta.url);
// What the user types into the cards (a German user writes German).
const DATA = GERMAN
  ? {
      goal: 'Landing Zone produktiv',
      kpi: '3 Abonnements unter Richtlinien',
      owner: 'Jonas Weber',
      sponsor: 'Carla Diaz, CIO (Sponsorin)',
      contact: 'Carla Diaz, CIO',
      notes: 'Richtlinien und Verwaltungsgruppen vereinbart',
      materials: 'https://contoso.example/unterlagen',
      evidence: 'https://contoso.example/richtlinienbericht',
      nextSteps: 'Kosten optimieren\nPilot mit AKS',
      nextStep: 'Kosten optimieren',
    }
  : {
      goal: 'Landing zone live',
      kpi: '3 subscriptions under policy',
      owner: 'Alex Wilber',
      sponsor: 'Carla Diaz, CIO (sponsor)',
      contact: 'Carla Diaz, CIO',
      notes: 'Policies and management groups agreed',
      materials: 'https://fabrikam.example/deck',
      evidence: 'https://fabrikam.example/policy-report',
      nextSteps: 'Optimise cost\nPilot AKS',
      nextStep: 'Optimise cost',
    };

async function quickCheck(chat) {
  if (GERMAN) {
    await chat.step('language', () => chat.say('sprache de'), ['Ab jetzt antworte ich Ihnen auf Deutsch']);
    chat.addCheck(wrongLanguageCheck(vocabularyFile, 'de', beside('known-english.txt')));
    await chat.step('help', () => chat.say('hilfe'), [t('How I can help'), t('Phases'), 'schnellcheck']);
    const create = `${CUSTOMER} anlegen`;
    await chat.step('quick-check-customer', () => chat.say(`schnellcheck ${CUSTOMER}`), [create]);
    await chat.step('quick-check', () => chat.click(create), [t('Show level')]);
  } else {
    await chat.step('help', () => chat.click(t('Help')), [t('How I can help'), t('Phases')]);
    await chat.step('quick-check', () => chat.click(t('Quick check')), [t('Show level')]);
  }
  const card = await chat.cardWith(t('Show level'));
  const dropdowns = chat.dropdowns(card);
  const count = await dropdowns.count();
  if (count < 4) throw new Error(`the quick check shows ${count} dropdowns`);
  for (let i = 0; i < count; i += 1) await chat.choose(dropdowns.nth(i), 1);
  await chat.step('quick-check-level', () => chat.click(t('Show level')), [/Cloud is/]);
}

async function assess(chat) {
  const first = t('Question {n} of 10', { n: 1 });
  if (GERMAN) {
    // The quick check created the customer: the assessment starts at once.
    await chat.step('assess', () => chat.say(`${t('assess')} ${CUSTOMER}`), [first]);
  } else {
    await chat.step('assess', () => chat.say(`${t('assess')} ${CUSTOMER}`), [t('Yes')]);
    await chat.step('assess-yes', () => chat.click(t('Yes')), [first]);
  }
  for (let n = 1; n <= 10; n += 1) {
    const card = chat.botMessages().filter({ hasText: t('Question {n} of 10', { n }) }).last();
    const answer = card.locator('.ac-actionSet').nth(1 + (n % 2)).getByRole('button');
    const expected = n < 10 ? t('Question {n} of 10', { n: n + 1 }) : t('Recommended workshops');
    await chat.step(`assess-q${n}`, () => answer.click(), [expected]);
  }
}

/** A date `days` from today, as a date input takes it. */
function isoDate(days) {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

async function commit(chat) {
  await chat.step('commit', () => chat.click(t('Start commit phase')), [t('workshops')]);
  let card = await chat.cardWith(t('Next'));
  for (const name of [/Microsoft Cloud Workshops \(/, /Architecture Design Session/, /Pilot/]) {
    await card.getByText(name).click();
  }
  await chat.step('commit-workshops', () => chat.click(t('Next')), [t('goal 1 of up to')]);
  card = await chat.cardWith(t('Save goal'));
  await chat.fill(card, t('Goal'), DATA.goal);
  await chat.fill(card, t('Success criterion (KPI)'), DATA.kpi);
  await chat.fill(card, t("Owner's name (optional)"), DATA.owner);
  await chat.fill(card, t('Target date'), isoDate(45));
  await chat.step('commit-goal', () => chat.click(t('Save goal')), [t('1 goal(s) so far')]);
  await chat.step('commit-no-more-goals', () => chat.click(t('No')), [t('success factors')]);
  card = await chat.cardWith(t('Skip'));
  // The success plan: each factor's status (a dropdown), then its owner and gap (the first
  // "Owner" and "Gap" inputs belong to the stakeholders).
  const stakeholders = t('Stakeholders (names, roles, executive sponsor)');
  await chat.choose(await chat.input(card, stakeholders), t('In place'));
  await chat.fill(card, t('Owner (optional)'), DATA.sponsor);
  await chat.choose(await chat.input(card, t('Scenarios')), t('In progress'));
  await chat.choose(await chat.input(card, t('Training plan')), t('In progress'));
  await chat.step('commit-success-factors', () => chat.click(t('Save')), [t('dates and contact')]);
  card = await chat.cardWith(t('Next'));
  await chat.fill(card, t('Start of the engagement'), isoDate(0));
  await chat.fill(card, t('End of the engagement'), isoDate(60));
  await chat.fill(card, t('Customer contact who agrees'), DATA.contact);
  await chat.step('commit-dates', () => chat.click(t('Next')), [
    t('Statement of work'),
    DATA.goal,
    DATA.sponsor,
  ]);
  await chat.step('commit-confirm', () => chat.click(t('Confirm')), [t('Record customer agreement')]);
  await chat.step('commit-customer-agrees', () => chat.click(t('Record customer agreement')), [
    t('Both sides agreed'),
  ]);
}

async function deliver(chat) {
  await chat.step('deliver', () => chat.say(`${t('deliver')} ${CUSTOMER}`), [t('Record delivery')]);
  const card = await chat.cardWith(t('Record delivery'));
  await chat.fill(card, t('Number of attendees'), '12');
  await chat.fill(card, t('Notes (optional)'), DATA.notes);
  await chat.fill(card, t('Link to the materials (optional)'), DATA.materials);
  await chat.step('deliver-record', () => chat.click(t('Record delivery')), [
    t('1 of 1 committed workshops delivered'),
    t('Start ensure'),
  ]);
}

async function ensure(chat) {
  const close = t('Close the iteration');
  await chat.step('ensure', () => chat.click(t('Start ensure')), [close]);
  let card = await chat.cardWith(close);
  await chat.choose(await chat.input(card, t('Outcome')), t('Achieved'));
  await chat.fill(card, t('Evidence (text or link)'), DATA.evidence);
  await chat.choose(await chat.input(card, t('Overall satisfaction')), '5');
  await chat.fill(card, t('One per line (1-5)'), DATA.nextSteps);
  // Only one of the satisfaction answers: the card comes back as filled in, the problem marked.
  await chat.step('ensure-incomplete', () => chat.click(close), [
    t('all three satisfaction questions'),
  ]);
  card = await chat.cardWith(close);
  for (const [label, wanted] of [
    [t('Evidence (text or link)'), DATA.evidence],
    [t('One per line (1-5)'), DATA.nextSteps],
  ]) {
    const shown = await (await chat.input(card, label)).inputValue();
    if (shown !== wanted) throw new Error(`the ensure card came back with ${label} = ${shown}`);
  }
  await chat.choose(await chat.input(card, t('Value for the effort')), '4');
  await chat.choose(await chat.input(card, t("The partner team's performance")), '5');
  await chat.choose(await chat.input(card, t('How likely to recommend us (0-10)')), '9');
  await chat.step('ensure-close', () => chat.click(close), [
    t('Proof of execution'),
    t('Iteration 1 of {customer} is closed', { customer: CUSTOMER }),
  ]);
}

async function overview(chat) {
  const status = `${t('status')} ${CUSTOMER}`;
  await chat.step('mistyped-command', () => chat.say(`stauts ${CUSTOMER}`), [
    t('Did you mean status {customer}?', { customer: CUSTOMER }),
  ]);
  await chat.step('status', () => chat.click(status), [CUSTOMER, DATA.nextStep]);
  // German: the status card's buttons are typed as commands (`verlauf`, `bericht`), which the
  // card's own buttons would send; the English check still reads the card's button titles.
  const open = (button, command) =>
    GERMAN ? () => chat.say(`${command} ${CUSTOMER}`) : () => chat.click(button);
  await chat.step('history', open('History', 'verlauf'), [
    /Iteration 1\s+Cloud is an option\s+■■□□/,
  ]);
  await chat.step('report', open('Report', 'bericht'), [
    t('Proof of execution: {customer}, iteration 1', { customer: CUSTOMER }),
    t('Goal achievement: 100%'),
  ], { forbidden: ['|---', '```'] });
  await chat.step('portfolio', () => chat.say(t('portfolio')), [t('Portfolio'), CUSTOMER]);
  await chat.step('reminders', () => chat.say(t('reminders')), [t('Reminders for your customers')]);
  // A renewal 20 days ahead: its 30-days-ahead reminder is due, and the sweep sends its card.
  const renewal = GERMAN ? isoDate(20).split('-').reverse().join('.') : isoDate(20);
  const renews = GERMAN ? `${CUSTOMER} verlängert in \\d+ Tag` : `${CUSTOMER} renews in \\d+ day`;
  await chat.step('reminder-card', () => chat.say(`${t('renewal')} ${CUSTOMER} ${renewal}`), [
    new RegExp(renews),
  ]);
  // Bad input gets an answer in the user's language.
  await chat.step('bad-date', () => chat.say(`${t('renewal')} ${CUSTOMER} ${t('someday')}`), [
    t("I can't read 'someday' as a date"),
  ]);
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  try {
    // A German user's browser speaks German (the date inputs' texts); the Playground still sends
    // en-US as the activities' locale, whatever the browser says.
    const page = await browser.newPage({ viewport: DESKTOP, locale: GERMAN ? 'de-DE' : 'en-US' });
    page.setDefaultTimeout(20000);
    page.setDefaultNavigationTimeout(60000);
    const chat = new Chat(page, outDir);
    await chat.blockOutside();
    if (!GERMAN) chat.addCheck(wrongLanguageCheck(vocabularyFile, 'en', beside('known-german.txt')));
    await page.goto(url);
    chat.check('welcome', await chat.reply([], ["Customer Success assistant"]));
    await chat.closeLogPanel();
    await chat.screenshots('welcome');
    try {
      await quickCheck(chat);
      await assess(chat);
      await commit(chat);
      await deliver(chat);
      await ensure(chat);
      await overview(chat);
    } catch (error) {
      await page.screenshot({ path: `${outDir}/failure.png` }).catch(() => {});
      chat.saveFindings();
      throw error;
    }
    chat.finish();
  } finally {
    await browser.close();
  }
}

await main();
