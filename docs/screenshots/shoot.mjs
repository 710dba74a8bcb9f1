// Renders every card of out/cards.js in headless Chromium and saves cropped PNGs next to this file.
//
//   node shoot.mjs                   (uses /usr/bin/chromium, or $CHROMIUM)
//
// Desktop shots are 600 px wide (Teams desktop chat), the *-mobile ones 360 px (a phone).
// Prints, per shot, any text the renderer had to cut (buttons, single-line text, inputs) and any
// element wider than the card, so that a bad layout is caught without looking at every image.
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const cards = Object.keys(JSON.parse(
  readFileSync(join(here, "out", "cards.js"), "utf8").replace(/^window\.CARDS = /, "").replace(/;\s*$/, "")));
const DESKTOP = 600;
const MOBILE = 360;
const MOBILE_SHOTS = ["quick-check", "result", "question", "reminder", "portfolio"]; // kept as PNGs
// Every card is checked at both widths; the mobile shots not kept for the README go to out/.
const shots = [
  ...cards.map((card) => ({ card, width: DESKTOP, file: `${card}.png` })),
  ...cards.map((card) => ({
    card, width: MOBILE, file: (MOBILE_SHOTS.includes(card) ? "" : "out/") + `${card}-mobile.png`,
  })),
];

// Playwright starts Chromium with a fresh temporary profile and removes it afterwards.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
let problems = 0;
try {
  for (const { card, width, file } of shots) {
    const page = await browser.newPage({ viewport: { width: width + 24, height: 800 }, deviceScaleFactor: 1 });
    page.on("pageerror", (error) => console.error(`${file}: page error: ${error.message}`));
    const url = pathToFileURL(join(here, "page.html")).href + `?card=${encodeURIComponent(card)}&width=${width}`;
    await page.goto(url);
    await page.waitForFunction(() => window.RENDER_DONE === true, null, { timeout: 10000 });
    await page.evaluate(() => document.fonts.ready);
    const report = await page.evaluate(() => {
      const bubble = document.getElementById("bubble");
      const right = bubble.getBoundingClientRect().right;
      const out = [];
      for (const el of bubble.querySelectorAll("*")) {
        const box = el.getBoundingClientRect();
        if (box.width && box.right > right + 0.5) out.push(`wider than the card: <${el.tagName.toLowerCase()} class="${el.className}"> "${(el.textContent || "").trim().slice(0, 40)}"`);
        const style = getComputedStyle(el);
        if ((style.textOverflow === "ellipsis" || style.overflow === "hidden") && el.scrollWidth > el.clientWidth + 1 && el.children.length === 0)
          out.push(`text cut: "${(el.textContent || el.value || "").trim().slice(0, 60)}"`);
      }
      for (const sel of bubble.querySelectorAll("select")) {
        const text = sel.options[sel.selectedIndex]?.text || "";
        const probe = document.createElement("span");
        probe.style.cssText = `font: ${getComputedStyle(sel).font}; position: absolute; white-space: nowrap;`;
        let widest = "";
        for (const o of sel.options) { probe.textContent = o.text; document.body.appendChild(probe); if (probe.offsetWidth > sel.clientWidth - 28) widest = o.text; probe.remove(); }
        if (widest) out.push(`choice cut in a ${sel.clientWidth}px drop-down: "${widest}"`);
      }
      return { warnings: window.RENDER_WARNINGS, problems: [...new Set(out)] };
    });
    await page.locator("body").screenshot({ path: join(here, file) });
    const notes = [...report.warnings.map((w) => `renderer: ${w}`), ...report.problems];
    problems += report.problems.length;
    console.log(`${file}${notes.length ? "\n  " + notes.join("\n  ") : ": ok"}`);
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(problems ? `${problems} layout problem(s) found` : "no layout problems found");
