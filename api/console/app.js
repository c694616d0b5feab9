// app.js - Tern's web console: plain DOM, the ordinary API, an API key kept
// in sessionStorage (this tab only). Every value from the API is inserted
// with textContent, never as HTML.
'use strict';

const KEY_STORAGE = 'tern.apiKey';
const WEBHOOK_EVENTS = ['email.sent', 'email.delivered', 'email.delivery_delayed', 'email.bounced',
  'email.complained', 'email.failed', 'email.scheduled', 'domain.created', 'domain.updated', 'domain.deleted'];
const POLL_MS = 5000;

const $ = (selector, root = document) => root.querySelector(selector);
let currentDomainId = null;
let pollTimer = null;

// el - an element with attributes and children (strings become text nodes).
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'className') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
  return node;
}

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
  }
}

async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${sessionStorage.getItem(KEY_STORAGE) || ''}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) {
    if (response.status === 401) signOut('Your API key was refused.');
    throw new ApiError(response.status, json);
  }
  return json;
}

function showError(id, error) { $(id).textContent = error ? String(error.message || error) : ''; }

async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = el('textarea', {}, text);
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  const label = button.textContent;
  button.textContent = 'Copied';
  setTimeout(() => { button.textContent = label; }, 1500);
}

function copyButton(text, title) {
  const button = el('button', { type: 'button', className: 'copy', title });
  button.textContent = 'Copy';
  button.addEventListener('click', () => copyText(text, button));
  return button;
}

// ---- sign in and tabs ----

function signOut(message) {
  sessionStorage.removeItem(KEY_STORAGE);
  stopPolling();
  $('#nav').hidden = true;
  for (const tab of document.querySelectorAll('.tab')) tab.hidden = true;
  $('#signin').hidden = false;
  $('#signin-error').textContent = message || '';
}

async function signIn(key) {
  sessionStorage.setItem(KEY_STORAGE, key);
  try {
    await api('GET', '/domains');
  } catch (error) {
    signOut(error.status === 401 || error.status === 403 ? 'That key was refused: a full_access key is needed.'
      : String(error.message));
    return;
  }
  $('#signin').hidden = true;
  $('#nav').hidden = false;
  showTab('domains');
}

function showTab(name) {
  stopPolling();
  for (const tab of document.querySelectorAll('.tab')) tab.hidden = tab.id !== name;
  for (const button of document.querySelectorAll('nav [data-tab]'))
    button.classList.toggle('active', button.dataset.tab === name);
  if (name === 'domains') loadDomains();
  if (name === 'emails') loadEmails();
  if (name === 'webhooks') loadWebhooks();
}

// ---- domains ----

async function loadDomains() {
  try {
    const list = await api('GET', '/domains');
    const body = $('#domains-list tbody');
    body.replaceChildren(...list.data.map((d) => el('tr', { className: 'clickable domain-row', 'data-id': d.id,
      onclick: () => openDomain(d.id) },
    el('td', {}, d.name), el('td', {}, el('span', { className: `badge ${d.status}` }, d.status)),
    el('td', {}, d.created_at))));
    showError('#domains-error', null);
  } catch (error) { showError('#domains-error', error); }
}

// recordCheck - the ✓/✗ cell: what the last check found, with the reason.
function recordCheck(record) {
  switch (record.status) {
    case 'verified': return el('span', { className: 'ok' }, '✓ verified');
    case 'failed': return el('span', { className: 'bad' }, `✗ ${record.problem || 'not found'}`);
    case 'temporary_failure':
      return el('span', { className: 'pending' }, `✗ ${record.problem || 'DNS did not answer'} (will retry)`);
    case 'pending':
      return record.problem ? el('span', { className: 'bad' }, `✗ ${record.problem}`)
        : el('span', { className: 'pending' }, '… checking');
    default: return el('span', { className: 'pending' }, '… not checked yet');
  }
}

function recordRow(record, domainName, kind) {
  const fqdn = record.name ? `${record.name}.${domainName}` : domainName;
  return el('tr', { className: 'record', 'data-record': kind },
    el('td', {}, kind),
    el('td', {}, record.type),
    el('td', {}, el('code', {}, record.name || '@'), copyButton(fqdn, 'Copy the full name'),
      el('div', { className: 'fqdn' }, fqdn)),
    el('td', { className: 'value' }, el('code', {}, record.value), copyButton(record.value, 'Copy the value')),
    el('td', {}, record.priority === undefined ? '' : record.priority),
    el('td', { className: 'record-status' }, recordCheck(record)));
}

function renderDomain(domain) {
  $('#domain-detail').hidden = false;
  $('#domain-detail').dataset.id = domain.id;
  if (domain.name) $('#domain-title').textContent = domain.name;
  const name = $('#domain-title').textContent;
  const status = $('#domain-status');
  status.textContent = domain.status;
  status.className = `badge ${domain.status}`;
  // Resend calls both send.<domain> records "SPF"; the MX is the bounce return path.
  const rows = (domain.records || []).map((r) => recordRow(r, name, r.type === 'MX' ? 'MX' : r.record));
  if (domain.dmarc) rows.push(recordRow(domain.dmarc, name, 'DMARC (advice)'));
  $('#records tbody').replaceChildren(...rows);
}

async function refreshDomain(id) {
  try {
    const domain = await api('GET', `/domains/${encodeURIComponent(id)}`);
    if (id !== currentDomainId) return;
    renderDomain(domain);
    if (domain.status !== 'pending') stopPolling();
  } catch (error) { showError('#domains-error', error); }
}

async function openDomain(id) {
  stopPolling();
  currentDomainId = id;
  $('#verify-result').textContent = '';
  await refreshDomain(id);
  // A pending domain is re-checked in the background: keep its marks live.
  pollTimer = setInterval(() => refreshDomain(id), POLL_MS);
}

function stopPolling() {
  if (pollTimer) clearInterval(pollTimer);
  pollTimer = null;
}

async function addDomain(name) {
  try {
    const created = await api('POST', '/domains', { name });
    $('#domain-name').value = '';
    showError('#domains-error', null);
    await loadDomains();
    await openDomain(created.id);
  } catch (error) { showError('#domains-error', error); }
}

async function verifyDomain() {
  const id = currentDomainId;
  if (!id) return;
  $('#verify').disabled = true;
  $('#verify-result').textContent = 'Checking DNS…';
  try {
    const checked = await api('POST', `/domains/${encodeURIComponent(id)}/verify`);
    renderDomain(checked);
    $('#verify-result').textContent = checked.status === 'verified' ? 'All records found: the domain is verified.'
      : 'Some records are not right yet: see the marks above.';
    await loadDomains();
  } catch (error) {
    $('#verify-result').textContent = '';
    showError('#domains-error', error);
  } finally {
    $('#verify').disabled = false;
  }
}

// ---- emails ----

async function loadEmails() {
  try {
    const list = await api('GET', '/emails?limit=50');
    $('#emails-list tbody').replaceChildren(...list.data.map((e) => el('tr', { className: 'clickable email-row',
      'data-id': e.id, onclick: () => openEmail(e) },
    el('td', {}, e.created_at), el('td', {}, e.from), el('td', {}, (e.to || []).join(', ')),
    el('td', {}, e.subject), el('td', {}, e.last_event))));
    showError('#emails-error', null);
  } catch (error) { showError('#emails-error', error); }
}

function describeReply(reply) {
  if (!reply) return '';
  const code = reply.code ? `${reply.code} ` : '';
  const enhanced = reply.enhanced ? `${reply.enhanced} ` : '';
  const host = reply.host ? ` (${reply.host})` : '';
  return ` — ${code}${enhanced}${reply.text}${host}`;
}

async function openEmail(email) {
  try {
    const events = await api('GET', `/emails/${encodeURIComponent(email.id)}/events`);
    $('#email-detail').hidden = false;
    $('#email-title').textContent = `${email.subject} → ${(email.to || []).join(', ')}`;
    $('#timeline').replaceChildren(...events.data.map((ev) => el('li', { className: 'event' },
      el('strong', {}, ev.type.replace(/^email\./, '')), ` ${ev.created_at}`,
      ev.recipients.length ? ` · ${ev.recipients.join(', ')}` : '', describeReply(ev.reply))));
  } catch (error) { showError('#emails-error', error); }
}

// ---- webhooks ----

async function loadWebhooks() {
  try {
    const list = await api('GET', '/webhooks');
    $('#webhooks-list tbody').replaceChildren(...list.data.map((w) => el('tr', { className: 'webhook-row' },
      el('td', {}, w.endpoint), el('td', {}, (w.events || []).join(', ')), el('td', {}, w.status),
      el('td', {},
        el('button', { type: 'button', onclick: () => toggleWebhook(w) }, w.status === 'enabled' ? 'Disable' : 'Enable'),
        el('button', { type: 'button', className: 'delete', onclick: () => deleteWebhook(w) }, 'Delete')))));
    showError('#webhooks-error', null);
  } catch (error) { showError('#webhooks-error', error); }
}

async function addWebhook() {
  const events = [...document.querySelectorAll('#webhook-events input:checked')].map((i) => i.value);
  try {
    const created = await api('POST', '/webhooks', { endpoint: $('#webhook-endpoint').value, events });
    const secret = $('#webhook-secret');
    $('code', secret).textContent = created.signing_secret;
    secret.hidden = false;
    $('#webhook-endpoint').value = '';
    await loadWebhooks();
  } catch (error) { showError('#webhooks-error', error); }
}

async function toggleWebhook(w) {
  try {
    await api('PATCH', `/webhooks/${encodeURIComponent(w.id)}`, { status: w.status === 'enabled' ? 'disabled' : 'enabled' });
    await loadWebhooks();
  } catch (error) { showError('#webhooks-error', error); }
}

async function deleteWebhook(w) {
  if (!confirm(`Delete the webhook to ${w.endpoint}?`)) return;
  try {
    await api('DELETE', `/webhooks/${encodeURIComponent(w.id)}`);
    await loadWebhooks();
  } catch (error) { showError('#webhooks-error', error); }
}

// ---- wiring ----

function init() {
  $('#signin-form').addEventListener('submit', (e) => { e.preventDefault(); signIn($('#api-key').value.trim()); });
  $('#sign-out').addEventListener('click', () => signOut(''));
  for (const button of document.querySelectorAll('nav [data-tab]'))
    button.addEventListener('click', () => showTab(button.dataset.tab));
  $('#add-domain-form').addEventListener('submit', (e) => { e.preventDefault(); addDomain($('#domain-name').value.trim()); });
  $('#verify').addEventListener('click', verifyDomain);
  $('#refresh-emails').addEventListener('click', loadEmails);
  $('#add-webhook-form').addEventListener('submit', (e) => { e.preventDefault(); addWebhook(); });
  $('#webhook-events').append(...WEBHOOK_EVENTS.map((name) => el('label', {},
    el('input', { type: 'checkbox', value: name, ...(name.startsWith('email.') ? { checked: '' } : {}) }), ` ${name}`)));
  $('.copy', $('#webhook-secret')).addEventListener('click', (e) =>
    copyText($('#webhook-secret code').textContent, e.target));
  if (sessionStorage.getItem(KEY_STORAGE)) signIn(sessionStorage.getItem(KEY_STORAGE));
}

init();
