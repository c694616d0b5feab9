// sdk_compat.test.mjs - drives a running Tern with the official Resend Node
// SDK (the version pinned in package.json) through every call Tern serves,
// and checks that the SDK returns `data` (not `error`) with the shapes of
// its TypeScript types, and Resend's error names for the error cases.
//
// It starts nothing: the ctest driver (sdk_compat_test.cpp) starts Redis, a
// DNS server, an SMTP peer and `tern serve`, then runs
//   node --test sdk_compat.test.mjs
// with TERN_URL (the API base URL) and TERN_API_KEY (a full_access key).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { Resend } from 'resend';
import { Webhook as SvixWebhook } from 'svix';
import { Conformance } from './openapi_conformance.mjs';

const baseUrl = process.env.TERN_URL;
const apiKey = process.env.TERN_API_KEY;
if (!baseUrl || !apiKey) throw new Error('TERN_URL and TERN_API_KEY must be set (the ctest driver sets them)');

// Every response the SDK receives is checked against openapi.yaml at the end.
const conformance = new Conformance();
conformance.record_fetches();
const resend = new Resend(apiKey, { baseUrl });
const FROM = 'Acme <onboarding@acme.test>';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?\+00$/;
const LAST_EVENTS = ['bounced', 'canceled', 'clicked', 'complained', 'delivered', 'delivery_delayed', 'failed',
                     'opened', 'queued', 'scheduled', 'sent', 'suppressed'];

// ok - the SDK's result is a success: data set, error null.
function ok(result) {
  assert.equal(result.error, null, `expected data, got error ${JSON.stringify(result.error)}`);
  assert.ok(result.data, 'data is set');
  assert.equal(result.data.statusCode, undefined, 'success bodies never carry statusCode');
  return result.data;
}

// failed - the SDK's result is Resend's error with this name (and status).
function failed(result, name, statusCode) {
  assert.equal(result.data, null, `expected an error, got data ${JSON.stringify(result.data)}`);
  assert.ok(result.error, 'error is set');
  assert.equal(result.error.name, name, JSON.stringify(result.error));
  if (statusCode !== undefined) assert.equal(result.error.statusCode, statusCode, JSON.stringify(result.error));
  assert.equal(typeof result.error.message, 'string');
  return result.error;
}

// keys - the object has exactly these keys (the SDK type's fields).
function keys(object, expected) {
  assert.deepEqual(Object.keys(object).sort(), [...expected].sort(), JSON.stringify(object));
}

function email(overrides = {}) {
  return { from: FROM, to: ['delivered@example.test'], subject: 'Hello from the SDK', html: '<p>hi</p>', ...overrides };
}

function isList(data) {
  assert.equal(data.object, 'list');
  assert.equal(typeof data.has_more, 'boolean');
  assert.ok(Array.isArray(data.data));
}

test('emails.send then emails.get returns the GetEmailResponseSuccess shape', async () => {
  const sent = ok(await resend.emails.send(email({
    cc: 'cc@example.test', replyTo: 'help@acme.test', text: 'hi',
    tags: [{ name: 'category', value: 'sdk_test' }], headers: { 'X-Entity-Ref-ID': '42' },
  })));
  keys(sent, ['id']);
  assert.match(sent.id, UUID);
  const got = ok(await resend.emails.get(sent.id));
  keys(got, ['object', 'id', 'message_id', 'to', 'from', 'created_at', 'subject', 'html', 'text', 'bcc', 'cc',
             'reply_to', 'last_event', 'scheduled_at', 'tags', 'topic_id']);
  assert.equal(got.object, 'email');
  assert.equal(got.id, sent.id);
  assert.deepEqual(got.to, ['delivered@example.test']);
  assert.deepEqual(got.cc, ['cc@example.test']);
  assert.deepEqual(got.reply_to, ['help@acme.test']);
  assert.equal(got.subject, 'Hello from the SDK');
  assert.equal(got.html, '<p>hi</p>');
  assert.equal(got.text, 'hi');
  assert.match(got.created_at, TIMESTAMP);
  assert.ok(LAST_EVENTS.includes(got.last_event), got.last_event);
  assert.deepEqual(got.tags, [{ name: 'category', value: 'sdk_test' }]);
  assert.equal(got.scheduled_at, null);
});

test('emails.list pages newest first with has_more', async () => {
  const ids = [];
  for (let i = 0; i < 3; i += 1) ids.unshift(ok(await resend.emails.send(email({ subject: `list ${i}` }))).id);
  const first = ok(await resend.emails.list({ limit: 2 }));
  isList(first);
  assert.equal(first.data.length, 2);
  assert.equal(first.has_more, true);
  assert.deepEqual(first.data.map((e) => e.id), ids.slice(0, 2));
  keys(first.data[0], ['id', 'message_id', 'to', 'from', 'created_at', 'subject', 'bcc', 'cc', 'reply_to',
                       'last_event', 'scheduled_at']);
  const next = ok(await resend.emails.list({ limit: 2, after: ids[1] }));
  assert.equal(next.data[0].id, ids[2]);
  failed(await resend.emails.list({ limit: 500 }), 'validation_error', 422);
});

test('emails.send with scheduledAt, then emails.update and emails.cancel', async () => {
  const scheduled = ok(await resend.emails.send(email({ scheduledAt: 'in 1 hour' })));
  assert.equal(ok(await resend.emails.get(scheduled.id)).last_event, 'scheduled');
  const updated = ok(await resend.emails.update({ id: scheduled.id, scheduledAt: 'tomorrow at 9am' }));
  keys(updated, ['object', 'id']);
  assert.deepEqual(updated, { object: 'email', id: scheduled.id });
  const moved = ok(await resend.emails.get(scheduled.id));
  assert.match(moved.scheduled_at, / 09:00:00/);
  const canceled = ok(await resend.emails.cancel(scheduled.id));
  assert.deepEqual(canceled, { object: 'email', id: scheduled.id });
  assert.equal(ok(await resend.emails.get(scheduled.id)).last_event, 'canceled');
  failed(await resend.emails.cancel(scheduled.id), 'validation_error', 422);
  failed(await resend.emails.update({ id: scheduled.id, scheduledAt: 'in 2 hours' }), 'validation_error', 422);
});

test('emails.send with attachments (Buffer, base64 and inline content id)', async () => {
  const sent = ok(await resend.emails.send(email({
    to: ['attachments@example.test'],
    subject: 'With attachments',
    html: '<p>logo: <img src="cid:logo-image"></p>',
    attachments: [
      { filename: 'invoice.pdf', content: Buffer.from('%PDF-1.4 sdk test') },
      { filename: 'notes.txt', content: Buffer.from('plain notes').toString('base64') },
      { filename: 'logo.png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47]), contentId: 'logo-image' },
    ],
  })));
  assert.match(sent.id, UUID);
  failed(await resend.emails.send(email({ attachments: [{ filename: 'a.txt' }] })), 'invalid_attachment', 422);
  failed(await resend.emails.send(email({ attachments: [{ path: 'https://example.com/a.pdf', filename: 'a.pdf' }] })),
         'invalid_attachment', 422);
});

test('emails.send with the same idempotencyKey replays the first response', async () => {
  const key = `sdk-${Date.now()}`;
  const first = ok(await resend.emails.send(email({ subject: 'once' }), { idempotencyKey: key }));
  const again = ok(await resend.emails.send(email({ subject: 'once' }), { idempotencyKey: key }));
  assert.equal(again.id, first.id);
  failed(await resend.emails.send(email({ subject: 'changed' }), { idempotencyKey: key }), 'invalid_idempotent_request', 409);
  failed(await resend.emails.send(email(), { idempotencyKey: 'k'.repeat(257) }), 'invalid_idempotency_key', 400);
});

test('batch.send strict and permissive', async () => {
  const strict = ok(await resend.batch.send([email({ subject: 'batch 1' }), email({ subject: 'batch 2' })]));
  keys(strict, ['data']);
  assert.equal(strict.data.length, 2);
  for (const item of strict.data) keys(item, ['id']);
  assert.equal(ok(await resend.emails.get(strict.data[1].id)).subject, 'batch 2');

  const invalid = { from: FROM, subject: 'no to', html: '<p>x</p>' };
  failed(await resend.batch.send([email(), invalid]), 'missing_required_field', 422);

  const permissive = ok(await resend.batch.send([email(), invalid, email()], { batchValidation: 'permissive' }));
  keys(permissive, ['data', 'errors']);
  assert.equal(permissive.data.length, 2);
  assert.deepEqual(permissive.errors, [{ index: 1, message: 'Missing `to` field.' }]);

  const key = `batch-${Date.now()}`;
  const first = ok(await resend.batch.send([email({ subject: 'idem' })], { idempotencyKey: key }));
  const again = ok(await resend.batch.send([email({ subject: 'idem' })], { idempotencyKey: key }));
  assert.deepEqual(again, first);
});

test('apiKeys.create, list, update and remove; sending keys are restricted', async () => {
  const created = ok(await resend.apiKeys.create({ name: 'SDK sending key', permission: 'sending_access' }));
  keys(created, ['id', 'token']);
  assert.match(created.id, UUID);
  assert.match(created.token, /^re_/);

  const listed = ok(await resend.apiKeys.list());
  isList(listed);
  const mine = listed.data.find((k) => k.id === created.id);
  assert.ok(mine, 'the new key is listed');
  keys(mine, ['id', 'name', 'created_at', 'last_used_at']);
  assert.match(mine.created_at, TIMESTAMP);
  assert.ok(!JSON.stringify(listed).includes(created.token), 'tokens are never listed');

  const sending = new Resend(created.token, { baseUrl });
  ok(await sending.emails.send(email({ subject: 'from a sending key' })));
  ok(await sending.batch.send([email({ subject: 'batch from a sending key' })]));
  failed(await sending.emails.list(), 'restricted_api_key', 401);
  failed(await sending.apiKeys.list(), 'restricted_api_key', 401);
  failed(await sending.domains.list(), 'restricted_api_key', 401);

  assert.deepEqual(ok(await resend.apiKeys.update(created.id, { name: 'renamed' })), { object: 'api_key', id: created.id });
  const removed = ok(await resend.apiKeys.remove(created.id));
  assert.deepEqual(removed, { object: 'api_key', id: created.id, deleted: true });
  failed(await sending.emails.send(email()), 'invalid_api_key', 403);
  failed(await resend.apiKeys.create({ name: 'bad', permission: 'admin' }), 'invalid_access', 422);
});

test('error cases carry Resend names and statuses', async () => {
  failed(await new Resend('re_not_a_real_key', { baseUrl }).emails.send(email()), 'invalid_api_key', 403);
  // The SDK refuses to run without a key, so ask as it would without one.
  const anonymous = await fetch(`${baseUrl}/emails`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                                        body: JSON.stringify(email()) });
  assert.equal(anonymous.status, 401);
  assert.match(anonymous.headers.get('content-type'), /^application\/json/);
  assert.equal((await anonymous.json()).name, 'missing_api_key');

  failed(await resend.emails.send({ from: FROM, subject: 'x', html: 'y' }), 'missing_required_field', 422);
  failed(await resend.emails.send(email({ from: 'not an address' })), 'invalid_from_address', 422);
  failed(await resend.emails.send(email({ tags: [{ name: 'bad tag!', value: 'x' }] })), 'validation_error', 422);
  failed(await resend.emails.send(email({ scheduledAt: 'whenever' })), 'validation_error', 422);
  failed(await resend.emails.get('not-a-uuid'), 'invalid_parameter', 422);
  failed(await resend.emails.get('4dd369bc-aa82-4ff3-97de-514ae3000ee0'), 'not_found', 404);
});

test('domains.create, get, list, update, verify and remove', async () => {
  const created = ok(await resend.domains.create({ name: `sdk-${Date.now()}.test` }));
  for (const key of ['id', 'name', 'status', 'created_at', 'region', 'records']) assert.ok(key in created, key);
  assert.match(created.id, UUID);
  assert.ok(Array.isArray(created.records) && created.records.length > 0);
  for (const record of created.records) {
    assert.ok(['SPF', 'DKIM', 'Receiving', 'Tracking', 'TrackingCAA'].includes(record.record), record.record);
    assert.equal(typeof record.ttl, 'string');
  }
  const got = ok(await resend.domains.get(created.id));
  assert.equal(got.object, 'domain');
  assert.equal(got.name, created.name);
  isList(ok(await resend.domains.list()));
  assert.deepEqual(ok(await resend.domains.update({ id: created.id, openTracking: false, tls: 'enforced' })),
                   { object: 'domain', id: created.id });
  const verified = ok(await resend.domains.verify(created.id));
  assert.equal(verified.object, 'domain');
  assert.equal(verified.id, created.id);
  const removed = ok(await resend.domains.remove(created.id));
  assert.equal(removed.deleted, true);
  failed(await resend.domains.get(created.id), 'not_found', 404);
});

test('webhooks.create, get, list, update and remove', async () => {
  const created = ok(await resend.webhooks.create({ endpoint: 'https://hooks.example.test/resend',
                                                    events: ['email.sent', 'email.delivered'] }));
  assert.match(created.id, UUID);
  assert.match(created.signing_secret, /^whsec_/);
  const got = ok(await resend.webhooks.get(created.id));
  assert.equal(got.object, 'webhook');
  assert.equal(got.endpoint, 'https://hooks.example.test/resend');
  isList(ok(await resend.webhooks.list()));
  const updated = ok(await resend.webhooks.update(created.id, { status: 'disabled' }));
  assert.equal(updated.id, created.id);
  const removed = ok(await resend.webhooks.remove(created.id));
  assert.equal(removed.deleted, true);
});

test('suppressions.add, get, list and remove', async () => {
  const added = ok(await resend.suppressions.add({ email: 'suppressed-sdk@example.test' }));
  assert.match(added.id, UUID);
  const got = ok(await resend.suppressions.get('suppressed-sdk@example.test'));
  assert.equal(got.object, 'suppression');
  assert.equal(got.id, added.id);
  isList(ok(await resend.suppressions.list()));
  const removed = ok(await resend.suppressions.remove(added.id));
  assert.equal(removed.deleted, true);
});

// receive_webhooks - an HTTP endpoint on loopback keeping every request.
async function receive_webhooks() {
  const requests = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      requests.push({ headers: req.headers, body });
      res.writeHead(200).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { requests, server, url: `http://127.0.0.1:${server.address().port}/hook` };
}

async function wait_for(predicate, what, ms = 60000) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('webhook events of a delivered and a bounced email arrive in order and verify with Svix and the SDK', async () => {
  const hooks = await receive_webhooks();
  try {
    const created = ok(await resend.webhooks.create({
      endpoint: hooks.url, events: ['email.sent', 'email.delivered', 'email.bounced'] }));
    const delivered = ok(await resend.emails.send(email({ to: ['delivered@example.test'] }))).id;
    const bounced = ok(await resend.emails.send(email({ to: ['bounce@example.test'] }))).id;
    const types_of = (id) => hooks.requests.map((r) => JSON.parse(r.body))
      .filter((event) => event.data?.email_id === id).map((event) => event.type);
    await wait_for(() => types_of(delivered).length >= 2 && types_of(bounced).length >= 2, 'four webhook events');
    assert.deepEqual(types_of(delivered), ['email.sent', 'email.delivered']);
    assert.deepEqual(types_of(bounced), ['email.sent', 'email.bounced']);

    const svix = new SvixWebhook(created.signing_secret);
    for (const r of hooks.requests) {
      const verified = resend.webhooks.verify({
        payload: r.body, webhookSecret: created.signing_secret,
        headers: { id: r.headers['webhook-id'], timestamp: r.headers['webhook-timestamp'],
                   signature: r.headers['webhook-signature'] } });
      assert.equal(verified.type, JSON.parse(r.body).type);
      // Svix's verify returns nothing and throws on a bad signature.
      assert.doesNotThrow(() => svix.verify(r.body, { 'svix-id': r.headers['svix-id'],
                                                      'svix-timestamp': r.headers['svix-timestamp'],
                                                      'svix-signature': r.headers['svix-signature'] }));
      assert.throws(() => svix.verify(r.body + ' ', { 'svix-id': r.headers['svix-id'],
                                                      'svix-timestamp': r.headers['svix-timestamp'],
                                                      'svix-signature': r.headers['svix-signature'] }));
    }
    const bounce = hooks.requests.map((r) => JSON.parse(r.body)).find((e) => e.type === 'email.bounced');
    assert.equal(bounce.data.bounce?.type, 'Permanent', JSON.stringify(bounce.data));
    assert.ok(bounce.data.bounce.diagnosticCode[0].includes('550'), JSON.stringify(bounce.data));
    ok(await resend.webhooks.remove(created.id));
  } finally {
    hooks.server.close();
  }
});

// Last: the contract file describes every response the suite received.
test('every response above matches openapi.yaml', () => {
  assert.ok(conformance.responses.length > 50, `only ${conformance.responses.length} responses were recorded`);
  const problems = conformance.mismatches();
  assert.deepEqual(problems, [], problems.join('\n'));
});
