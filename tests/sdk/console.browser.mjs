// console.browser.mjs - the web console in a real browser (Debian's
// chromium, headless, driven by playwright-core), against a running Tern.
// Driven by console_browser_test.cpp, which owns the DNS server: this
// script writes HANDSHAKE_DIR/added once the domain exists and waits for
// HANDSHAKE_DIR/published before verifying again.
//
// Env: TERN_URL, TERN_API_KEY, CONSOLE_DOMAIN, HANDSHAKE_DIR, CHROMIUM,
// EXPECT_EMAIL_SUBJECT (an email the driver sent and saw delivered).
// Exit 0 when every step passed; a failed step prints why and the page text.
import { chromium } from 'playwright-core';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = (name) => {
  if (!process.env[name]) throw new Error(`${name} is not set`);
  return process.env[name];
};
const url = env('TERN_URL');
const domain = env('CONSOLE_DOMAIN');
const handshake = env('HANDSHAKE_DIR');
const STEP_TIMEOUT = 60_000;

function step(name) { console.log(`step: ${name}`); }

async function waitForFile(path) {
  const deadline = Date.now() + STEP_TIMEOUT;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// recordChecks - {record kind: text of its check cell}.
async function recordChecks(page) {
  return page.$$eval('#records tr.record', (rows) => Object.fromEntries(rows.map((row) =>
    [row.dataset.record, row.querySelector('.record-status').textContent])));
}

const profile = mkdtempSync(join(tmpdir(), 'tern-console-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: env('CHROMIUM'),
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] || await context.newPage();
page.setDefaultTimeout(STEP_TIMEOUT);
const consoleErrors = [];
// Failed requests are logged by the browser too; the refused key's 403 is expected.
page.on('console', (message) => {
  if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) consoleErrors.push(message.text());
});
page.on('response', (response) => {
  if (response.status() >= 500) consoleErrors.push(`${response.status()} from ${response.url()}`);
});
page.on('pageerror', (error) => consoleErrors.push(String(error)));
page.on('dialog', (dialog) => dialog.accept());

let status = 0;
try {
  step('a wrong key is refused');
  await page.goto(`${url}/console`);
  await page.fill('#api-key', 're_not_a_key');
  await page.click('#sign-in');
  await page.waitForFunction(() => document.querySelector('#signin-error').textContent.includes('refused'));

  step('sign in');
  await page.fill('#api-key', env('TERN_API_KEY'));
  await page.click('#sign-in');
  await page.waitForSelector('#nav:not([hidden])');

  step('add a domain and see its records');
  await page.fill('#domain-name', domain);
  await page.click('#add-domain');
  await page.waitForFunction(() => document.querySelectorAll('#records tr.record').length >= 4);
  const kinds = await page.$$eval('#records tr.record', (rows) => rows.map((r) => r.dataset.record));
  for (const kind of ['MX', 'SPF', 'DKIM', 'DMARC (advice)'])
    if (!kinds.includes(kind)) throw new Error(`record ${kind} missing: ${kinds}`);
  const copyButtons = await page.$$eval('#records tr.record button.copy', (b) => b.length);
  if (copyButtons !== kinds.length * 2) throw new Error(`expected 2 copy buttons per record, saw ${copyButtons}`);
  const dkimValue = await page.textContent('#records tr.record[data-record="DKIM"] td.value code');
  if (!dkimValue.startsWith('v=DKIM1; k=rsa; p=')) throw new Error(`DKIM value: ${dkimValue}`);
  await page.click('#records tr.record[data-record="DKIM"] td.value button.copy');
  await page.waitForFunction(() =>
    document.querySelector('#records tr.record[data-record="DKIM"] td.value button.copy').textContent === 'Copied');
  await page.waitForSelector(`#domains-list tr.domain-row >> text=${domain}`);

  step('verify before publishing: ✗ with the reason per record');
  await page.click('#verify');
  await page.waitForFunction(() => document.querySelector('#verify-result').textContent.includes('not right yet'));
  const before = await recordChecks(page);
  for (const [kind, text] of Object.entries(before))
    if (!text.startsWith('✗') || text.length < 4) throw new Error(`${kind} before publishing: "${text}"`);
  if ((await page.textContent('#domain-status')) === 'verified') throw new Error('verified with nothing published');

  step('publish the records in the test DNS');
  writeFileSync(join(handshake, 'added'), domain);
  await waitForFile(join(handshake, 'published'));

  step('verify again: ✓ everywhere, domain verified');
  await page.click('#verify');
  await page.waitForFunction(() => document.querySelector('#domain-status').textContent === 'verified');
  const after = await recordChecks(page);
  for (const [kind, text] of Object.entries(after))
    if (!text.startsWith('✓')) throw new Error(`${kind} after publishing: "${text}"`);
  await page.waitForSelector('#domains-list tr.domain-row .badge.verified');

  step('emails: the list and an event timeline');
  await page.click('#tab-emails');
  const subject = env('EXPECT_EMAIL_SUBJECT');
  await page.click(`#emails-list tr.email-row >> text=${subject}`);
  await page.waitForFunction(() => [...document.querySelectorAll('#timeline li')]
    .some((li) => li.textContent.startsWith('delivered')));
  const timeline = await page.$$eval('#timeline li', (items) => items.map((li) => li.textContent));
  if (!timeline[0].startsWith('sent')) throw new Error(`timeline: ${timeline}`);

  step('webhooks: add (secret shown once), disable, delete');
  await page.click('#tab-webhooks');
  await page.fill('#webhook-endpoint', 'http://127.0.0.1:9/tern-hook');
  await page.click('#add-webhook');
  await page.waitForSelector('#webhook-secret:not([hidden])');
  const secret = await page.textContent('#webhook-secret code');
  if (!secret.startsWith('whsec_')) throw new Error(`signing secret: ${secret}`);
  await page.waitForSelector('#webhooks-list tr.webhook-row >> text=enabled');
  await page.click('#webhooks-list tr.webhook-row >> text=Disable');
  await page.waitForSelector('#webhooks-list tr.webhook-row >> text=disabled');
  await page.click('#webhooks-list tr.webhook-row button.delete');
  await page.waitForFunction(() => document.querySelectorAll('#webhooks-list tr.webhook-row').length === 0);

  if (consoleErrors.length) throw new Error(`errors in the page: ${consoleErrors.join(' | ')}`);
  console.log('console e2e: ok');
} catch (error) {
  status = 1;
  console.error(`FAILED: ${error.stack || error}`);
  try { console.error(`--- page text ---\n${await page.innerText('body')}`); } catch { /* page gone */ }
  if (consoleErrors.length) console.error(`--- page errors ---\n${consoleErrors.join('\n')}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(status);
