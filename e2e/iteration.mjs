// One whole iteration in the Agents Playground's web page, by clicking where a button exists.
// Usage: node iteration.mjs <playground url> <screenshot dir>  (run by e2e/run.py inside a
// loopback-only network namespace).
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { Chat, DESKTOP } from './page.mjs';

const [url, outDir] = process.argv.slice(2);
const CUSTOMER = 'Fabrikam';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

async function quickCheck(chat) {
  await chat.step('help', () => chat.click('Help'), ['How I can help', 'Phases']);
  await chat.step('quick-check', () => chat.click('Quick check'), ['Show level']);
  const card = await chat.cardWith('Show level');
  const dropdowns = chat.dropdowns(card);
  const count = await dropdowns.count();
  if (count < 4) throw new Error(`the quick check shows ${count} dropdowns`);
  for (let i = 0; i < count; i += 1) await chat.choose(dropdowns.nth(i), 1);
  await chat.step('quick-check-level', () => chat.click('Show level'), [/Cloud is/]);
}

async function assess(chat) {
  await chat.step('assess', () => chat.say(`assess ${CUSTOMER}`), ['Yes']);
  await chat.step('assess-yes', () => chat.click('Yes'), ['Question 1 of 10']);
  for (let n = 1; n <= 10; n += 1) {
    const card = chat.botMessages().filter({ hasText: `Question ${n} of 10` }).last();
    const answer = card.locator('.ac-actionSet').nth(1 + (n % 2)).getByRole('button');
    const expected = n < 10 ? `Question ${n + 1} of 10` : 'Recommended workshops';
    await chat.step(`assess-q${n}`, () => answer.click(), [expected]);
  }
}

/** A date `days` from today, as a date input takes it. */
function isoDate(days) {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

async function commit(chat) {
  await chat.step('commit', () => chat.click('Start commit phase'), ['workshops']);
  let card = await chat.cardWith('Next');
  for (const name of [/Microsoft Cloud Workshops \(/, /Architecture Design Session/, /Pilot/]) {
    await card.getByText(name).click();
  }
  await chat.step('commit-workshops', () => chat.click('Next'), ['goal 1 of up to']);
  card = await chat.cardWith('Save goal');
  await chat.fill(card, 'Goal', 'Landing zone live');
  await chat.fill(card, 'Success criterion (KPI)', '3 subscriptions under policy');
  await chat.fill(card, "Owner's name (optional)", 'Alex Wilber');
  await chat.fill(card, 'Target date', isoDate(45));
  await chat.step('commit-goal', () => chat.click('Save goal'), ['1 goal(s) so far']);
  await chat.step('commit-no-more-goals', () => chat.click('No'), ['success factors']);
  card = await chat.cardWith('Skip');
  // The success plan: each factor's status (a dropdown), then its owner and gap (the first
  // "Owner" and "Gap" inputs belong to the stakeholders).
  await chat.choose(await chat.input(card, 'Stakeholders (names, roles, executive sponsor)'), 'In place');
  await chat.fill(card, 'Owner (optional)', 'Carla Diaz, CIO (sponsor)');
  await chat.choose(await chat.input(card, 'Scenarios'), 'In progress');
  await chat.choose(await chat.input(card, 'Training plan'), 'In progress');
  await chat.step('commit-success-factors', () => chat.click('Save'), ['dates and contact']);
  card = await chat.cardWith('Next');
  await chat.fill(card, 'Start of the engagement', isoDate(0));
  await chat.fill(card, 'End of the engagement', isoDate(60));
  await chat.fill(card, 'Customer contact who agrees', 'Carla Diaz, CIO');
  await chat.step('commit-dates', () => chat.click('Next'), [
    'Statement of work',
    'Landing zone live',
    'Carla Diaz, CIO (sponsor)',
  ]);
  await chat.step('commit-confirm', () => chat.click('Confirm'), ['Record customer agreement']);
  await chat.step('commit-customer-agrees', () => chat.click('Record customer agreement'), [
    'Both sides agreed',
  ]);
}

async function deliver(chat) {
  await chat.step('deliver', () => chat.say(`deliver ${CUSTOMER}`), ['Record delivery']);
  const card = await chat.cardWith('Record delivery');
  await chat.fill(card, 'Number of attendees', '12');
  await chat.fill(card, 'Notes (optional)', 'Policies and management groups agreed');
  await chat.fill(card, 'Link to the materials (optional)', 'https://fabrikam.example/deck');
  await chat.step('deliver-record', () => chat.click('Record delivery'), [
    '1 of 1 committed workshops delivered',
    'Start ensure',
  ]);
}

async function ensure(chat) {
  const evidence = 'https://fabrikam.example/policy-report';
  await chat.step('ensure', () => chat.click('Start ensure'), ['Close the iteration']);
  let card = await chat.cardWith('Close the iteration');
  await chat.choose(await chat.input(card, 'Outcome'), 'Achieved');
  await chat.fill(card, 'Evidence (text or link)', evidence);
  await chat.choose(await chat.input(card, 'Overall satisfaction'), '5');
  await chat.fill(card, 'One per line (1-5)', 'Optimise cost\nPilot AKS');
  // Only one of the satisfaction answers: the card comes back as filled in, the problem marked.
  await chat.step('ensure-incomplete', () => chat.click('Close the iteration'), [
    'all three satisfaction questions',
  ]);
  card = await chat.cardWith('Close the iteration');
  for (const [label, wanted] of [
    ['Evidence (text or link)', evidence],
    ['One per line (1-5)', 'Optimise cost\nPilot AKS'],
  ]) {
    const shown = await (await chat.input(card, label)).inputValue();
    if (shown !== wanted) throw new Error(`the ensure card came back with ${label} = ${shown}`);
  }
  await chat.choose(await chat.input(card, 'Value for the effort'), '4');
  await chat.choose(await chat.input(card, "The partner team's performance"), '5');
  await chat.choose(await chat.input(card, 'How likely to recommend us (0-10)'), '9');
  await chat.step('ensure-close', () => chat.click('Close the iteration'), [
    'Proof of execution',
    `Iteration 1 of ${CUSTOMER} is closed`,
  ]);
}

async function overview(chat) {
  await chat.step('mistyped-command', () => chat.say(`stauts ${CUSTOMER}`), [
    `Did you mean status ${CUSTOMER}?`,
  ]);
  await chat.step('status', () => chat.click(`status ${CUSTOMER}`), ['2, assess phase', 'Optimise cost']);
  await chat.step('history', () => chat.click('History'), [
    'Maturity level per iteration',
    /Iteration 1\s+Cloud is an option\s+■■□□/,
  ]);
  await chat.step('report', () => chat.click('Report'), [
    `Proof of execution: ${CUSTOMER}, iteration 1`,
    'Goal achievement: 100%',
  ], { forbidden: ['|---', '```'] });
  await chat.step('portfolio', () => chat.say('portfolio'), ['Portfolio', CUSTOMER]);
  await chat.step('reminders', () => chat.say('reminders'), [/./]);
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage({ viewport: DESKTOP });
    page.setDefaultTimeout(20000);
    page.setDefaultNavigationTimeout(60000);
    const chat = new Chat(page, outDir);
    await chat.blockOutside();
    await page.goto(url);
    await chat.reply([], ["Customer Success assistant"]);
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
      throw error;
    }
    chat.finish();
  } finally {
    await browser.close();
  }
}

await main();
