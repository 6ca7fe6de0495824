// Drives the VS Code workbench served by code-server with headless Chromium
// and checks what the Stagehand extension makes the editor show. Run by
// run.sh, which sets E2E_URL, E2E_OUT (screenshots) and NODE_PATH (for
// playwright-core).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const url = process.env.E2E_URL;
const out = process.env.E2E_OUT;
// The workspace folder code-server opened; files made here appear in it.
const ws = process.env.E2E_WS;
// How long one step may wait for the workbench or the server.
const STEP = 30000;

let passed = 0;
let failed = 0;
let skipped = 0;
let skipRest = false;

function say(line) {
  process.stdout.write(line + '\n');
}

async function test(name, page, fn) {
  if (skipRest) {
    failed++;
    say(`FAIL ${name}: skipped, the workbench did not come up`);
    return;
  }
  const shot = name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
  try {
    await fn();
    passed++;
    say(`ok   ${name}`);
  } catch (err) {
    if (err instanceof Skip) {
      skipped++;
      say(`skip ${name}: ${err.message}`);
      return;
    }
    failed++;
    say(`FAIL ${name}: ${err && err.message ? err.message.split('\n')[0] : err}`);
    await page.screenshot({ path: path.join(out, `FAILED-${shot}.png`) }).catch(() => {});
  }
}

// Skip is thrown by a test whose feature the server does not offer (VS Code
// says so): reported, never counted as passed.
class Skip extends Error {}

function check(cond, fmt) {
  if (!cond) {
    throw new Error(fmt);
  }
}

async function main() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(STEP);
  const shot = (name) => page.screenshot({ path: path.join(out, `${name}.png`) });
  const editor = page.locator('.part.editor');

  // The text of the active editor's visible lines, in order.
  const editorLines = () =>
    page.evaluate(() => {
      const root = document.querySelector('.part.editor .editor-group-container.active .monaco-editor .view-lines');
      if (!root) {
        return [];
      }
      return Array.from(root.querySelectorAll('.view-line'))
        .map((el) => ({ top: parseFloat(el.style.top) || 0, text: el.textContent.replace(/\u00a0/g, ' ') }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text);
    });
  const cursor = async () => (await page.locator('[id="status.editor.selection"]').innerText()).trim();
  const command = async (title) => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>' + title);
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor();
    await page.keyboard.press('Enter');
  };
  const goTo = async (line, col) => {
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}:${col}`);
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      ([l, c]) => {
        const el = document.getElementById('status.editor.selection');
        return el && el.textContent.includes(`Ln ${l}, Col ${c}`);
      },
      [line, col],
    );
  };
  const problems = page.locator('.markers-panel');

  await test('workbench opens the multi-stage Dockerfile', page, async () => {
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90000 });
    await page.locator('.explorer-folders-view').waitFor({ timeout: 60000 }).catch(() => {});
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('Dockerfile');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Dockerfile' }).first().waitFor();
    await page.keyboard.press('Enter');
    await editor.locator('.monaco-editor .view-lines', { hasText: 'FROM golang' }).waitFor();
    const lang = await page.locator('[id="status.editor.mode"]').innerText();
    check(/docker/i.test(lang), `language mode is ${JSON.stringify(lang)}, want Dockerfile`);
  }).then(async () => {
    if (failed > 0) {
      skipRest = true;
    }
  });

  await test('the server reports the unknown instruction (squiggle and Problems)', page, async () => {
    await editor.locator('.squiggly-error').first().waitFor();
    await page.keyboard.press('Control+Shift+M');
    await problems.waitFor();
    await problems.locator('.monaco-list-row', { hasText: /unknown instruction/i }).first().waitFor();
    const text = await problems.innerText();
    check(/RUNN/i.test(text), `Problems does not name RUNN: ${text}`);
    await shot('01-diagnostics');
  });

  await test('the unused stage "test" is reported and faded (UnusedStage)', page, async () => {
    await editor.locator('.squiggly-inline-unnecessary').first().waitFor();
    // The Problems panel opened just before lays the editor out again:
    // read both positions until they come from the same layout.
    let onStage = false;
    let line5 = null;
    for (let tries = 0; tries < 40 && !onStage; tries++) {
      if (tries > 0) await page.waitForTimeout(250);
      const faded = await editor.locator('.squiggly-inline-unnecessary').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
      line5 = await editor.locator('.view-line', { hasText: 'FROM alpine:3.20 AS test' }).boundingBox();
      onStage = !!line5 && faded.some((t) => Math.abs(t - line5.y) < 4);
    }
    check(onStage, 'the faded range is not on the "test" stage');
    const hover = page.locator('.monaco-hover', { hasText: /UnusedStage|unused/i }).first();
    let shown = false;
    // The layout can still move after the check above (the Problems panel
    // settling): each try reads the line's place again, as a person's eye
    // would, and points at the faded text on it.
    let seen = '';
    for (let attempt = 0; attempt < 3 && !shown; attempt++) {
      const box = (await editor.locator('.view-line', { hasText: 'FROM alpine:3.20 AS test' }).boundingBox()) || line5;
      await page.mouse.move(5, 5);
      await page.mouse.move(box.x + 40, box.y + box.height / 2, { steps: 4 });
      shown = await hover.waitFor({ timeout: STEP / 3 }).then(() => true, () => false);
      if (!shown) {
        seen = await page.locator('.monaco-hover').allInnerTexts().then((t) => t.join(' | '), () => '');
      }
    }
    check(shown, `no hover on the unused stage after three tries; hovers on the page: ${JSON.stringify(seen)}`);
    await shot('02-unused-stage-hover');
    await page.mouse.move(5, 5);
  });

  await test('hovering the squiggle shows the message', page, async () => {
    // Nothing left over from the hover before: a sticky hover can cover the
    // line, and a click must not land in it.
    await page.keyboard.press('Escape');
    await page.mouse.move(5, 5);
    await page.locator('.monaco-hover', { hasText: /UnusedStage|unused/i }).first().waitFor({ state: 'hidden' }).catch(() => {});
    const line10 = editor.locator('.view-line', { hasText: 'RUNN echo typo' });
    await line10.click();
    const hover = page.locator('.monaco-hover', { hasText: /unknown instruction/i }).first();
    // A person whose hover does not open moves the mouse off and back; so
    // do we, three times, before failing with what the editor shows.
    let shown = false;
    for (let attempt = 0; attempt < 3 && !shown; attempt++) {
      const squiggle = editor.locator('.squiggly-error').first();
      await squiggle.waitFor({ state: 'attached', timeout: STEP / 3 }).catch(() => {});
      const box = (await squiggle.boundingBox({ timeout: 2000 }).catch(() => null)) || (await line10.boundingBox());
      check(box, 'neither the squiggle nor line 10 is on screen');
      await page.mouse.move(5, 5);
      await page.mouse.move(box.x + 6, box.y + box.height / 2, { steps: 4 });
      shown = await hover.waitFor({ timeout: STEP / 3 }).then(() => true, () => false);
    }
    if (!shown) {
      const squiggles = await page.locator('.squiggly-error').count();
      const lines = await editorLines();
      const probs = await problems.innerText().catch(() => '(no Problems panel)');
      throw new Error(`no hover naming the unknown instruction; ${squiggles} error squiggles on the page; lines ${JSON.stringify(lines)}; Problems: ${probs.replace(/\s+/g, ' ')}`);
    }
    await shot('02-error-hover');
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
  });

  await test('completion after COPY --from= offers the earlier stages', page, async () => {
    await editor.locator('.monaco-editor .view-lines').click();
    await goTo(9, 1);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('COPY --from=');
    await page.keyboard.press('Control+Space');
    const rows = editor.locator('.suggest-widget.visible .monaco-list-row');
    await rows.first().waitFor();
    const labels = await editor.locator('.suggest-widget.visible .monaco-list-row .label-name').allInnerTexts();
    await shot('03-completion');
    check(labels.includes('build'), `completion items ${JSON.stringify(labels)} lack "build"`);
    check(labels.includes('test'), `completion items ${JSON.stringify(labels)} lack "test"`);
    await page.keyboard.type('bu');
    await editor.locator('.suggest-widget.visible .monaco-list-row.focused', { hasText: 'build' }).waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.type(' /out/app /app2');
    await page.keyboard.press('Escape');
    // The last keystrokes may not be drawn yet: wait for the line, bounded.
    let lines = await editorLines();
    for (const deadline = Date.now() + 5000; lines[9] !== 'COPY --from=build /out/app /app2' && Date.now() < deadline; ) {
      await page.waitForTimeout(100);
      lines = await editorLines();
    }
    check(lines[9] === 'COPY --from=build /out/app /app2', `line 10 is ${JSON.stringify(lines[9])} after accepting the item`);
  });

  await test('go to definition jumps from --from=build to the build stage', page, async () => {
    await goTo(9, 15);
    await page.keyboard.press('F12');
    await page.waitForFunction(() => /Ln 1,/.test(document.getElementById('status.editor.selection')?.textContent || ''));
    const where = await cursor();
    check(/^Ln 1, Col (1|21)\b/.test(where), `cursor at ${where} after F12, want line 1 at the stage name`);
    await shot('04-definition');
  });

  await test('Show stage graph draws the stages in a webview', page, async () => {
    await command('Stagehand: Show stage graph');
    let frame;
    const deadline = Date.now() + STEP;
    while (!frame && Date.now() < deadline) {
      for (const f of page.frames()) {
        const n = await f.locator('#root svg, #root .message').count().catch(() => 0);
        if (n > 0) {
          const svg = await f.locator('#root svg').count().catch(() => 0);
          const msg = (await f.locator('#root .message').allInnerTexts().catch(() => [])).join(' ');
          if (svg > 0 || !/Loading|Asking/.test(msg)) {
            frame = f;
            break;
          }
        }
      }
      if (!frame) {
        await page.waitForTimeout(250);
      }
    }
    check(frame, 'no stage graph webview appeared');
    await shot('05-stage-graph');
    const message = (await frame.locator('#root .message').allInnerTexts()).join(' ');
    check((await frame.locator('#root svg').count()) === 1, `no drawing; the panel says: ${message}`);
    const stages = await frame.locator('#root svg g.stage').evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-stage'), g.getAttribute('class')]));
    const names = stages.map((s) => s[0]);
    check(names.includes('build') && names.includes('test'), `stages drawn: ${JSON.stringify(stages)}`);
    const test = stages.find((s) => s[0] === 'test');
    check(/unused/.test(test[1]), `stage "test" is not drawn as unused: ${JSON.stringify(stages)}`);
    const edges = await frame.locator('#root svg path.edge').count();
    check(edges >= 1, `${edges} edges drawn, want the COPY --from edge from build`);
  });

  await test('Restart server brings the diagnostics back', page, async () => {
    await editor.locator('.monaco-editor .view-lines').first().click();
    await command('Stagehand: Restart server');
    await page.locator('.statusbar', { hasText: 'Stagehand: server restarted' }).waitFor();
    await goTo(10, 1);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('WORKDIRR /x');
    await problems.locator('.monaco-list-row', { hasText: /WORKDIRR/ }).first().waitFor();
    await shot('06-after-restart');
  });

  // applyAction opens VS Code's code action menu with keys (or a command,
  // when how starts with '>') and picks the
  // item whose title matches; Skip when VS Code says there are none.
  const applyAction = async (how, title) => {
    const menu = page.locator('.action-widget .monaco-list-row', { hasText: title }).first();
    const none = editor.locator('.monaco-editor-overlaymessage', { hasText: /No (code actions|refactorings)/i });
    // Like a person, ask again when no menu comes up: the request can reach
    // the workbench while the focus is still leaving the stage graph.
    let which = 'timeout';
    for (let attempt = 1; attempt <= 3 && which === 'timeout'; attempt++) {
      if (attempt > 1) {
        await page.keyboard.press('Escape');
        await editor.locator('.monaco-editor textarea').first().focus().catch(() => {});
      }
      if (how.startsWith('>')) {
        await command(how.slice(1));
      } else {
        await page.keyboard.press(how);
      }
      const wait = attempt < 3 ? STEP / 3 : STEP;
      which = await Promise.race([
        menu.waitFor({ timeout: wait }).then(() => 'menu'),
        none.waitFor({ timeout: wait }).then(() => 'none'),
      ]).catch(() => 'timeout');
    }
    if (which === 'timeout') {
      throw new Error(`no action menu with ${title} came up after 3 tries`);
    }
    if (which === 'none') {
      throw new Skip(`VS Code says: ${(await none.innerText()).trim()}`);
    }
    await shot(`07-actions-${title.source.replace(/[^a-z]+/gi, '-').toLowerCase()}`);
    await menu.click();
  };

  await test('the quick fix "Remove unused stage" removes the test stage', page, async () => {
    await editor.locator('.monaco-editor .view-lines').first().click();
    await goTo(5, 20);
    await applyAction('Control+.', /Remove unused stage/);
    await page.waitForFunction(() => !(document.querySelector('.part.editor .view-lines')?.textContent || 'AS test').replace(/\u00a0/g, ' ').includes('AS test'));
    const lines = await editorLines();
    check(!lines.some((l) => /never built/.test(l)), `the stage's RUN line is still there: ${JSON.stringify(lines)}`);
    check(lines[0] === 'FROM golang:1.26 AS build' && lines.some((l) => l === 'COPY --from=build /out/app /app'), `other lines changed: ${JSON.stringify(lines)}`);
    await editor.locator('.squiggly-inline-unnecessary').first().waitFor({ state: 'detached' });
    // The open stage graph follows the edit.
    let redrawn = false;
    const deadline = Date.now() + STEP;
    while (!redrawn && Date.now() < deadline) {
      for (const f of page.frames()) {
        const build = await f.locator('#root svg g.stage[data-stage="build"]').count().catch(() => 0);
        const gone = await f.locator('#root svg g.stage[data-stage="test"]').count().catch(() => 1);
        if (build === 1 && gone === 0) {
          redrawn = true;
        }
      }
      if (!redrawn) {
        await page.waitForTimeout(250);
      }
    }
    await shot('08-after-quick-fix');
    check(redrawn, 'the stage graph still draws the removed stage "test"');
  });

  await test('the refactoring "Split stage" splits the build stage', page, async () => {
    await goTo(3, 1);
    // Through the palette: Ctrl+Shift+R may reach Chromium as a reload.
    await applyAction('>Refactor...', /Split stage/);
    // Wait until the RUN line is in a stage of its own.
    const deadline = Date.now() + STEP;
    for (;;) {
      const l = await editorLines();
      const run = l.findIndex((x) => x.startsWith('RUN go build'));
      const from = l.slice(0, run).reverse().find((x) => x.startsWith('FROM '));
      if ((from && !from.startsWith('FROM golang')) || Date.now() > deadline) {
        break;
      }
      await page.waitForTimeout(250);
    }
    const lines = await editorLines();
    // The instructions from the cursor on form a new stage built on the
    // part before it; references to the stage keep working.
    const run = lines.findIndex((l) => l.startsWith('RUN go build'));
    const from = lines.slice(0, run).reverse().find((l) => l.startsWith('FROM '));
    const m = from && /^FROM (\S+) AS (\S+)$/i.exec(from);
    check(m, `RUN go build is not in a new named stage: ${JSON.stringify(lines)}`);
    check(lines.some((l) => new RegExp(`^FROM .* AS ${m[1]}$`, 'i').test(l)), `the new stage's base ${m[1]} is no earlier stage: ${JSON.stringify(lines)}`);
    check(lines.some((l) => l === `COPY --from=${m[2]} /out/app /app`), `COPY --from no longer names the stage with the build: ${JSON.stringify(lines)}`);
    await shot('09-after-split');
  });

  // Opens a workspace file from the Explorer, as a person does, and waits
  // for a line of it on screen (Quick Open's index misses files made after
  // the workbench came up).
  const open = async (name, text) => {
    await page.keyboard.press('Escape');
    const exact = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const row = page.locator('.explorer-folders-view .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) });
    await row.first().click();
    await editor.locator('.monaco-editor .view-lines', { hasText: text }).waitFor();
  };
  const language = async () => (await page.locator('[id="status.editor.mode"]').innerText()).trim();
  // The workspace's settings file, as a person edits it; VS Code follows it.
  const settings = (obj) => {
    fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify(obj, null, 2));
  };

  await test('Containerfile, web.dockerfile and Dockerfile.prod get the Dockerfile language and diagnostics', page, async () => {
    const files = { Containerfile: 'RUNN containerfile', 'web.dockerfile': 'RUNN lowercase', 'Dockerfile.prod': 'RUNN prod' };
    for (const [name, typo] of Object.entries(files)) {
      fs.writeFileSync(path.join(ws, name), `FROM alpine:3.20\n${typo}\n`);
    }
    for (const [name, typo] of Object.entries(files)) {
      await open(name, typo);
      const lang = await language();
      check(/docker/i.test(lang), `${name}: language mode is ${JSON.stringify(lang)}, want Dockerfile`);
      await editor.locator('.squiggly-error').first().waitFor().catch(() => {
        throw new Error(`${name}: no error squiggle under ${typo}`);
      });
    }
    await shot('10-other-names');
  });

  await test('an untitled buffer set to Dockerfile gets diagnostics', page, async () => {
    await command('File: New Untitled Text File');
    await editor.locator('.monaco-editor textarea').first().focus();
    await page.keyboard.type('FROM alpine:3.20\nRUNN untitled\n');
    await command('Change Language Mode');
    const input = page.locator('.quick-input-widget input');
    await input.fill('Dockerfile');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: /^Dockerfile/ }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /docker/i.test(document.getElementById('status.editor.mode')?.textContent || ''));
    await editor.locator('.squiggly-error').first().waitFor().catch(() => {
      throw new Error('no error squiggle under RUNN in the untitled buffer');
    });
    await shot('11-untitled');
    await command('View: Revert and Close Editor');
  });

  await test('the settings reach the server: stagehand.rules and stagehand.targets', page, async () => {
    fs.writeFileSync(path.join(ws, 'severity.Dockerfile'), 'FROM alpine:3.20 AS leftover\nRUN true\n\nFROM alpine:3.20\nRUN true\n');
    await open('severity.Dockerfile', 'AS leftover');
    await editor.locator('.squiggly-inline-unnecessary').first().waitFor();
    check((await editor.locator('.squiggly-error').count()) === 0, 'an error squiggle before any setting');
    settings({ 'stagehand.rules': { UnusedStage: 'error' }, 'stagehand.trace.server': 'messages' });
    await editor.locator('.squiggly-error').first().waitFor().catch(() => {
      throw new Error('"stagehand.rules": {"UnusedStage": "error"} did not make the unused stage an error');
    });
    await shot('12-rules-setting');
    // The trace goes to the "Stagehand Trace" output, which the workbench
    // logs under its user data folder (run.sh's ud/, beside ws/).
    const traced = () => {
      const logs = path.join(ws, '..', 'ud', 'logs');
      const found = [];
      const walk = (d) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) walk(p);
          else if (/Stagehand Trace\.log$/.test(e.name)) found.push(fs.readFileSync(p, 'utf8'));
        }
      };
      walk(logs);
      return found.join('');
    };
    let trace = '';
    for (const deadline = Date.now() + STEP; !/\[Trace.*(Sending|Received)/.test(trace) && Date.now() < deadline; ) {
      await page.waitForTimeout(500);
      trace = traced();
    }
    check(/\[Trace.*(Sending|Received)/.test(trace), `"stagehand.trace.server": "messages" wrote no trace: ${JSON.stringify(trace.slice(0, 200))}`);
    settings({ 'stagehand.rules': { UnusedStage: 'error' }, 'stagehand.targets': ['leftover'] });
    await editor.locator('.squiggly-error').first().waitFor({ state: 'detached' }).catch(() => {
      throw new Error('"stagehand.targets": ["leftover"] did not make the stage used');
    });
    // After a restart the server starts with the settings (initializationOptions).
    settings({ 'stagehand.rules': { UnusedStage: 'error' } });
    await editor.locator('.squiggly-error').first().waitFor();
    await command('Stagehand: Restart server');
    await page.locator('.statusbar', { hasText: 'Stagehand: server restarted' }).waitFor();
    await page.keyboard.press('Escape');
    await editor.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('RUN true\n');
    await editor.locator('.squiggly-error').first().waitFor().catch(() => {
      throw new Error('after a restart the unused stage is no error');
    });
  });

  // Notifications as the workbench shows them.
  const toasts = () => page.locator('.notifications-toasts .notification-toast').allInnerTexts();
  const clearToasts = () => command('Notifications: Clear All Notifications').catch(() => {});

  await test('a broken server binary: one clear message, no restart loop', page, async () => {
    await clearToasts();
    const runs = path.join(ws, '..', 'broken-runs.log');
    const broken = path.join(ws, '..', 'broken-stagehand');
    fs.writeFileSync(broken, `#!/bin/sh\necho run >>'${runs}'\necho 'broken-stagehand: cannot start, libfoo missing' >&2\nexit 3\n`, { mode: 0o755 });
    settings({ 'stagehand.server.path': broken });
    await page.locator('.notifications-toasts .notification-toast', { hasText: broken }).first().waitFor();
    // A client that restarts a dead server would start it again at once.
    await page.waitForTimeout(4000);
    const n = fs.existsSync(runs) ? fs.readFileSync(runs, 'utf8').split('\n').filter(Boolean).length : 0;
    const texts = await toasts();
    await shot('13-broken-binary');
    check(n === 1, `the broken binary was started ${n} times, want once`);
    const ours = texts.filter((t) => t.includes(broken));
    check(ours.length === 1, `${ours.length} notifications name the binary: ${JSON.stringify(texts)}`);
    check(/exit code 3/.test(ours[0]) && /libfoo missing/.test(ours[0]), `the message does not say how it failed: ${JSON.stringify(ours[0])}`);
    const others = texts.filter((t) => /stagehand/i.test(t) && !t.includes(broken));
    check(others.length === 0, `more Stagehand notifications than the one: ${JSON.stringify(others)}`);
  });

  await test('a server.path with no binary: a message naming the setting', page, async () => {
    await clearToasts();
    settings({ 'stagehand.server.path': '/nonexistent/stagehand' });
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: '/nonexistent/stagehand' }).first();
    await toast.waitFor();
    const text = await toast.innerText();
    check(/stagehand\.server\.path/.test(text) && /no executable file/.test(text), `the message: ${JSON.stringify(text)}`);
    // The server log holds it too.
    await command('Stagehand: Show server log');
    const log = page.locator('.part.panel .monaco-editor .view-lines');
    await log.filter({ hasText: '/nonexistent/stagehand' }).first().waitFor().catch(() => {
      throw new Error('"Stagehand: Show server log" does not show the message');
    });
    await shot('14-server-log');
    // Cleared, the bundled server comes back.
    await clearToasts();
    settings({});
    await page.keyboard.press('Escape');
    await editor.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.type('RUNN back\n');
    await editor.locator('.squiggly-error').first().waitFor().catch(() => {
      throw new Error('no diagnostics after clearing stagehand.server.path');
    });
    await shot('15-server-back');
  });

  const multi = path.join(ws, '..', 'multi');
  const multiFile = path.join(multi, 'multi.code-workspace');
  const multiSettings = { 'stagehand.rules': { UnusedStage: 'error' } };
  // The Problems panel's text once ok(text) holds (or after STEP).
  const problemsWith = async (ok) => {
    let text = '';
    for (const deadline = Date.now() + STEP; Date.now() < deadline; ) {
      text = await problems.innerText();
      if (ok(text)) break;
      await page.waitForTimeout(250);
    }
    return text.replace(/\s+/g, ' ');
  };
  await test('a multi-root workspace: each folder served, with its own Compose targets and the workspace settings', page, async () => {
    const root = multi;
    fs.mkdirSync(path.join(root, 'a'), { recursive: true });
    fs.mkdirSync(path.join(root, 'b'), { recursive: true });
    fs.writeFileSync(path.join(root, 'a', 'api.Dockerfile'), 'FROM alpine:3.20\nRUNN multiroot\n');
    fs.writeFileSync(path.join(root, 'b', 'Dockerfile'), 'FROM alpine:3.20 AS dev\nRUN true\n\nFROM alpine:3.20 AS orphan\nRUN true\n\nFROM alpine:3.20\nRUN true\n');
    fs.writeFileSync(path.join(root, 'b', 'compose.yaml'), 'services:\n  app:\n    build:\n      context: .\n      target: dev\n');
    // c's own .vscode/settings.json turns UnusedStage off there.
    fs.mkdirSync(path.join(root, 'c', '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(root, 'c', 'cfg.Dockerfile'), 'FROM alpine:3.20 AS quiet\nRUNN folder-c\n\nFROM alpine:3.20\nRUN true\n');
    fs.writeFileSync(path.join(root, 'c', '.vscode', 'settings.json'), JSON.stringify({ 'stagehand.rules': { UnusedStage: 'off' } }));
    const file = multiFile;
    fs.writeFileSync(file, JSON.stringify({ folders: [{ path: 'a' }, { path: 'b' }, { path: 'c' }], settings: multiSettings }));
    const u = new URL(url);
    u.search = '';
    u.searchParams.set('workspace', file);
    await page.goto(u.toString());
    await page.locator('.monaco-workbench').waitFor({ timeout: 90000 });
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('api.Dockerfile');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'api.Dockerfile' }).first().waitFor();
    await page.keyboard.press('Enter');
    await editor.locator('.monaco-editor .view-lines', { hasText: 'RUNN multiroot' }).waitFor();
    await editor.locator('.squiggly-error').first().waitFor().catch(() => {
      throw new Error('no error squiggle in the first folder');
    });
    // b/Dockerfile from the Explorer, its folder expanded first if need be.
    const rows = page.locator('.explorer-folders-view .monaco-list-row');
    const named = (re) => rows.filter({ has: page.locator('.label-name', { hasText: re }) });
    await named(/^b$/).first().waitFor();
    if ((await named(/^Dockerfile$/).count()) === 0) {
      await named(/^b$/).first().click();
    }
    await open('Dockerfile', 'AS orphan');
    await page.keyboard.press('Control+Shift+M');
    await problems.waitFor();
    // The workspace's settings make UnusedStage an error; the stage
    // b/compose.yaml builds is used once the folder is scanned.
    await problems.locator('.monaco-list-row', { hasText: /"orphan" is never built/ }).first().waitFor().catch(() => {
      throw new Error('no UnusedStage for "orphan" in the second folder');
    });
    let text = '';
    for (const deadline = Date.now() + STEP; Date.now() < deadline; ) {
      text = await problems.innerText();
      if (!/"dev" is never built/.test(text)) break;
      await page.waitForTimeout(250);
    }
    await shot('16-multi-root');
    check(!/"dev" is never built/.test(text), `the stage b/compose.yaml builds is reported unused: ${text.replace(/\s+/g, ' ')}`);
    check((await editor.locator('.squiggly-error').count()) > 0, 'UnusedStage is no error: the workspace settings did not apply');
  });

  await test('a folder\'s own settings apply to its files in a multi-root workspace', page, async () => {
    const rows = page.locator('.explorer-folders-view .monaco-list-row');
    const named = (re) => rows.filter({ has: page.locator('.label-name', { hasText: re }) });
    await named(/^c$/).first().waitFor();
    if ((await named(/^cfg\.Dockerfile$/).count()) === 0) {
      await named(/^c$/).first().click();
    }
    await open('cfg.Dockerfile', 'RUNN folder-c');
    await page.keyboard.press('Control+Shift+M');
    await problems.waitFor();
    // Its RUNN error shows the file was checked; the workspace makes
    // UnusedStage an error, c's folder settings turn it off.
    const text = await problemsWith((t) => /cfg\.Dockerfile/.test(t));
    await shot('17-folder-settings');
    check(/cfg\.Dockerfile/.test(text), `no diagnostics for c/cfg.Dockerfile: ${text}`);
    check(!/"quiet" is never built/.test(text), `c's .vscode/settings.json (UnusedStage off) did not apply: ${text}`);
  });

  await test('a folder added to the open workspace is scanned: the stage its compose.yaml builds is used', page, async () => {
    const d = path.join(multi, 'd');
    fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, 'added.Dockerfile'), 'FROM alpine:3.20 AS extra\nRUN true\n\nFROM alpine:3.20 AS lonely\nRUN true\n\nFROM alpine:3.20\nRUN true\n');
    fs.writeFileSync(path.join(d, 'compose.yaml'), 'services:\n  app:\n    build:\n      context: .\n      dockerfile: added.Dockerfile\n      target: extra\n');
    // As "Add Folder to Workspace..." does: VS Code follows the file.
    fs.writeFileSync(multiFile, JSON.stringify({ folders: [{ path: 'a' }, { path: 'b' }, { path: 'c' }, { path: 'd' }], settings: multiSettings }));
    const rows = page.locator('.explorer-folders-view .monaco-list-row');
    await rows.filter({ has: page.locator('.label-name', { hasText: /^d$/ }) }).first().waitFor({ timeout: STEP });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('added.Dockerfile');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'added.Dockerfile' }).first().waitFor();
    await page.keyboard.press('Enter');
    await editor.locator('.monaco-editor .view-lines', { hasText: 'AS lonely' }).waitFor();
    await page.keyboard.press('Control+Shift+M');
    await problems.waitFor();
    const text = await problemsWith((t) => /"lonely" is never built/.test(t) && !/"extra" is never built/.test(t));
    await shot('18-folder-added');
    check(/"lonely" is never built/.test(text), `no UnusedStage for "lonely" in the added folder: ${text}`);
    check(!/"extra" is never built/.test(text), `the stage the added folder's compose.yaml builds is reported unused: ${text}`);
  });

  await browser.close();
}

main()
  .catch((err) => {
    failed++;
    say(`FAIL harness: ${err && err.stack ? err.stack : err}`);
  })
  .finally(() => {
    say(`vscode-e2e: ${passed} passed, ${failed} failed, ${skipped} skipped`);
    process.exit(failed === 0 && passed > 0 ? 0 : 1);
  });
