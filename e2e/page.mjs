// The Agents Playground's chat page, as a person uses it: read the messages, click card buttons,
// fill card inputs, type into the compose box. Every step waits for the bot's answer to render,
// checks what it says, and saves a screenshot at a desktop and a mobile width.
import fs from 'node:fs';
import path from 'node:path';

const DESKTOP = { width: 1280, height: 900 };
const MOBILE = { width: 390, height: 844 };
const REPLY_TIMEOUT_MS = 30000; // a slow, busy machine; a reply normally renders in 1-3 s
const SETTLE_MS = 600;

/** True for the only hosts the page may reach: this machine. */
export function isLocal(url) {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:') return true;
  return ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
}

export class Chat {
  constructor(page, outDir) {
    this.page = page;
    this.outDir = outDir;
    this.stepNumber = 0;
    this.errors = [];
    this.blocked = new Set();
    this.checks = []; // run on every later answer (addCheck)
    this.findings = []; // what they found: { step, text, known }
    page.on('pageerror', (error) => this.errors.push(`page error: ${error.message}`));
  }

  /** Abort every request that is not to this machine (fonts, scripts, telemetry of the CDN). */
  async blockOutside() {
    await this.page.route('**/*', (route) => {
      const url = route.request().url();
      if (isLocal(url)) return route.continue();
      this.blocked.add(new URL(url).host);
      return route.abort();
    });
  }

  /**
   * From now on, check every answer with `check(text, step name)`, which returns what it finds
   * wrong as { text, known } (sentences in the other language): each finding is recorded with
   * its step, the run goes on, and `finish` fails on any that is not known.
   */
  addCheck(check) {
    this.checks.push(check);
  }

  botMessages() {
    return this.page.locator('.fai-OutputCard');
  }

  /** The text of every bot message, oldest first. */
  async texts() {
    return this.botMessages().allInnerTexts();
  }

  /**
   * Wait for the bot's answer to an action: the messages that are new or changed (a card the bot
   * updated in place) since `before`, once they contain every expected text and stop changing.
   */
  async reply(before, expected) {
    const deadline = Date.now() + REPLY_TIMEOUT_MS;
    let last = null;
    let stableSince = Date.now();
    for (;;) {
      const texts = await this.texts();
      const text = texts.filter((t, i) => i >= before.length || t !== before[i]).join('\n');
      if (text !== last) {
        last = text;
        stableSince = Date.now();
      }
      const missing = expected.filter((e) => !matches(text, e));
      if (text && missing.length === 0 && Date.now() - stableSince >= SETTLE_MS) return text;
      if (this.errors.length) throw new Error(this.errors.join('\n'));
      if (Date.now() > deadline) {
        throw new Error(
          `no reply with ${missing.map(String).join(', ')} within ${REPLY_TIMEOUT_MS} ms; ` +
            `the new messages read:\n${text || '(none)'}`,
        );
      }
      await this.page.waitForTimeout(100);
    }
  }

  /** One step: do something, wait for the answer, check it and take the screenshots. */
  async step(name, action, expected, { forbidden = [] } = {}) {
    const started = Date.now();
    const before = await this.texts();
    await action();
    const text = await this.reply(before, [].concat(expected));
    const answered = Date.now();
    const after = await this.texts();
    const firstNew = after.findIndex((t, i) => i >= before.length || t !== before[i]);
    for (const bad of [/something went wrong/i, /out of date/i, ...forbidden]) {
      if (matches(text, bad)) throw new Error(`step ${name}: the bot answered ${bad}:\n${text}`);
    }
    this.check(name, text);
    await this.screenshots(name, firstNew);
    const seconds = (ms) => (ms / 1000).toFixed(1);
    console.log(
      `${name}: answered in ${seconds(answered - started)} s, screenshots ${seconds(Date.now() - answered)} s`,
    );
    fs.writeFileSync(path.join(this.outDir, `${String(this.stepNumber).padStart(2, '0')}-${name}.txt`), text);
    return text;
  }

  /** Run the checks (addCheck) on the answer of the step about to be numbered next. */
  check(name, text) {
    const stepName = `${String(this.stepNumber + 1).padStart(2, '0')}-${name}`;
    for (const check of this.checks) {
      this.findings.push(...check(text, name).map((found) => ({ step: stepName, ...found })));
    }
  }

  /** Screenshots at the desktop width and at a phone's width, the step's answer at the top. */
  async screenshots(name, firstNew = -1) {
    this.stepNumber += 1;
    const base = path.join(this.outDir, `${String(this.stepNumber).padStart(2, '0')}-${name}`);
    await this.closeLogPanel();
    await this.showAnswer(firstNew);
    await this.page.screenshot({ path: `${base}-desktop.png` });
    await this.page.setViewportSize(MOBILE);
    await this.page.evaluate(fitToPhone, true);
    await this.showAnswer(firstNew);
    await this.page.screenshot({ path: `${base}-mobile.png` });
    await this.page.evaluate(fitToPhone, false);
    await this.page.setViewportSize(DESKTOP);
  }

  /** Scroll the first message of the answer to the top (the last message when it is short). */
  async showAnswer(firstNew) {
    const messages = this.botMessages();
    const count = await messages.count();
    const index = firstNew >= 0 && firstNew < count ? firstNew : count - 1;
    await messages.nth(index).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await this.page.waitForTimeout(150);
  }

  /**
   * Close the Playground's log panel, which covers the chat at a phone's width (it opens
   * again when the page comes back to the desktop width).
   */
  async closeLogPanel() {
    const title = this.page.getByText('Log Panel', { exact: true }).first();
    if (await title.isVisible()) await title.locator('..').getByRole('button').last().click();
  }

  /** Type a message into the compose box and send it (only where no button exists). */
  async say(text) {
    const box = this.page.locator('[contenteditable="true"][role="textbox"]');
    await box.click();
    await box.pressSequentially(text);
    await box.press('Enter');
  }

  /** The last bot message that shows a button with this exact title. */
  async cardWith(button) {
    const index = await this.botMessages().evaluateAll((messages, title) => {
      const has = (m) => [...m.querySelectorAll('button')].some((b) => b.title === title);
      return messages.findLastIndex(has);
    }, button);
    if (index < 0) throw new Error(`no message shows a button ${JSON.stringify(button)}`);
    return this.botMessages().nth(index);
  }

  /** Click the button with this title on the newest card that has one. */
  async click(button) {
    const card = await this.cardWith(button);
    await card.locator(`button[title="${button.replaceAll('"', '\\"')}"]`).click();
  }

  /** Open a card's dropdown (Fluent combobox) and click an option: by its text, or its index. */
  async choose(combobox, option) {
    await combobox.click();
    const listbox = this.page.getByRole('listbox').last();
    const item =
      typeof option === 'number'
        ? listbox.getByRole('option').nth(option)
        : listbox.getByRole('option', { name: option, exact: true });
    await item.click();
    await listbox.waitFor({ state: 'hidden', timeout: 2000 }).catch(() => {});
  }

  /** The dropdowns of a card, in order. */
  dropdowns(card) {
    return card.getByRole('combobox');
  }

  /** A card's input, found by the text of its label (a required field's label ends in " *"). */
  async input(card, label) {
    const found = await card.evaluate((el, wanted) => {
      const labels = [...el.querySelectorAll('label')];
      const text = (l) => l.innerText.replace(/\s*\*\s*$/, '').trim();
      const match = labels.find((l) => text(l) === wanted);
      return match ? { id: match.htmlFor } : { labels: labels.map(text) };
    }, label);
    if (!found.id) throw new Error(`no input labelled ${JSON.stringify(label)}; labels: ${found.labels}`);
    return card.locator(`[id="${found.id}"]`);
  }

  /** Fill a card's text, number or date input labelled `label`. */
  async fill(card, label, value) {
    await (await this.input(card, label)).fill(value);
  }

  /** Write what the run found: the hosts the page tried, the forbidden texts it showed. */
  saveFindings() {
    const lines = (items) => items.map((item) => `${item}\n`).join('');
    fs.writeFileSync(path.join(this.outDir, 'blocked-hosts.txt'), lines([...this.blocked].sort()));
    if (this.checks.length) {
      const described = this.findings.map((f) => `${f.step}: ${f.text}${f.known ? ' (known)' : ''}`);
      fs.writeFileSync(path.join(this.outDir, 'findings.txt'), lines(described));
    }
  }

  /** Save the findings; fail on a page error or a forbidden text shown. */
  finish() {
    this.saveFindings();
    const problems = [...this.errors];
    const known = this.findings.filter((f) => f.known).length;
    if (known) console.log(`${known} known findings (see findings.txt), not failing the run`);
    const found = this.findings.filter((f) => !f.known).map((f) => `${f.step}: ${f.text}`);
    if (found.length) problems.push(`the answers show:\n${found.join('\n')}`);
    if (problems.length) throw new Error(problems.join('\n'));
  }
}

/**
 * In the page: let the chat and its cards shrink to a phone's width (the Playground's chat pane
 * keeps a desktop minimum width; Teams on a phone shows cards at the screen's width).
 */
function fitToPhone(on) {
  document.getElementById('e2e-phone')?.remove();
  if (!on) return;
  for (const card of document.querySelectorAll('.ac-adaptiveCard')) {
    for (let el = card; el && el !== document.body; el = el.parentElement) el.dataset.e2eFit = '';
  }
  const style = document.createElement('style');
  style.id = 'e2e-phone';
  style.textContent = '[data-e2e-fit] { min-width: 0 !important; max-width: 100% !important; }';
  document.head.append(style);
}

function matches(text, expected) {
  return expected instanceof RegExp ? expected.test(text) : text.includes(expected);
}

export { DESKTOP, MOBILE };
