// The web inbox at /desk/: open a staff key file (memory only), sign in, then the live
// list of signals for the caseworker's desks, decrypted in this tab on opening. Nothing
// is stored in the browser: no cookies, no web storage; signing out forgets everything.
import { h } from '../src/dom.js';
import { listNames } from '../src/format.js';
import { loadDeskKeys, makeDeskKeyUpload, makeGrant } from '../src/staff/desk-keys.js';
import { decode } from '../src/lib/base64url.js';
import { wipeKey } from '../src/staff/keyfile.js';
import { openReport } from '../src/staff/open-report.js';
import { staffShell } from '../src/staff/page-shell.js';
import { buildForward, consentReview } from '../src/staff/forward.js';
import { signIn } from '../src/staff/signin.js';
import { buildDeskReply, checkReplyKeys, openMessages, replyDesks } from '../src/staff/report-messages.js';
import { refusalKeys } from './consent-view.js';
import { createInbox } from './inbox.js';
import { keysView } from './keys-view.js';
import { listView } from './list-view.js';
import { namer } from './names.js';
import { notifier } from './notify.js';
import { reportView } from './report-view.js';
import { liveStream } from './stream.js';

const notices = notifier();
let app = fresh(null);

function fresh(t) {
  return {
    t,
    sodium: null,
    api: null,
    key: null,
    session: null,
    config: null,
    deskKeys: [],
    refusedKeys: [],
    deskInfo: {},
    inbox: null,
    stream: null,
    loaded: false,
    live: 'connecting',
    // Messages are kept as functions of the page's state, so a change of language redraws them.
    liveNote: null,
    selected: null,
    opened: null,
    statusMessage: null,
    keysMessage: null,
    openMessage: null,
  };
}

const shell = staffShell({
  role: 'caseworker',
  keepKey: true,
  app: () => app,
  reset: (t) => (app = fresh(t)),
  async signedIn({ sodium, api, key, session }) {
    Object.assign(app, { sodium, api, key, session, openMessage: null });
    await startInbox();
  },
  ending({ stream, key, deskKeys }) {
    stream?.close();
    for (const k of deskKeys) k.secretKey.fill(0);
    wipeKey(key);
  },
  showSignedIn: () => showInbox(),
});
const { main, renderChrome } = shell;
const endSession = shell.endSession;

// ---- the inbox ------------------------------------------------------------------------

async function loadKeys() {
  const { sodium, api, key, session } = app;
  const [keys, ...infos] = await Promise.all([loadDeskKeys(sodium, api, key), ...session.desks.map((d) => api.desk(d))]);
  for (const k of app.deskKeys) k.secretKey.fill(0);
  app.deskKeys = keys.ok ? keys.accepted : [];
  app.refusedKeys = keys.ok ? keys.refused : [];
  app.deskInfo = Object.fromEntries(session.desks.map((d, i) => [d, infos[i].ok ? infos[i].data : null]));
}

async function startInbox() {
  const config = await app.api.config();
  app.config = config.ok ? config.data : null;
  await loadKeys();
  const session = app.session;
  app.inbox = createInbox({
    api: app.api,
    desks: session.desks,
    onChange: scheduleList,
    onRemove: (id, reason) => {
      if (app.selected === id) closeReport();
      if (reason === 'withdrawn' && app.loaded) {
        app.liveNote = () => app.t('live.withdrawn');
        renderLive();
      }
      scheduleList();
    },
    onMessage: (id, desk) => {
      if (app.selected === id) {
        refreshOpened(id);
        return;
      }
      app.liveNote = () => app.t('live.message', { desk: namer(app).desk(desk) });
      renderLive();
      scheduleList();
    },
    onConsent: (id) => {
      if (app.selected === id) refreshOpened(id);
      app.liveNote = () => app.t('live.consent');
      renderLive();
    },
    onNew: (desk) => {
      app.liveNote = () => app.t('live.new', { desk: namer(app).desk(desk) });
      renderLive();
      notices.show(app.t('notify.new', { desk: namer(app).desk(desk) }), desk);
    },
  });
  showInbox();
  const loaded = await app.inbox.load();
  if (app.session !== session) return;
  app.loaded = true;
  if (!loaded.ok && loaded.status !== 401) app.liveNote = () => app.t('error.other', { code: loaded.code });
  renderList();
  app.stream = liveStream({
    url: app.api.streamUrl(),
    token: () => app.api.token(),
    after: () => app.inbox.after(),
    onEvent: (event, live) => app.inbox.apply(event, live),
    onState: (state) => {
      app.live = state;
      renderLive();
    },
    onEnded: () => endSession('open.ended'),
    // After a server restart: the key is still in this tab's memory; sign in again.
    renew: async () => app.session === session && (await signIn(app.sodium, app.api, app.key)).ok,
  });
}

function region(id) {
  return document.getElementById(id);
}

function showInbox() {
  const { t } = app;
  renderChrome();
  main.dataset.screen = 'inbox';
  const notifyId = 'notify';
  const attention = app.refusedKeys.length > 0 || Object.values(app.deskInfo).some((info) => info && (info.key_id === null || info.rotate));
  const keysRegion = h('div', { id: 'keys-region' });
  const layout = h('div', { class: 'inbox-layout' }, h('div', { id: 'list-region', class: 'list-region' }), h('div', { id: 'detail-region', class: 'detail-region' }));
  main.replaceChildren(
    h('h1', { tabindex: '-1', id: 'inbox-title' }, t('inbox.title')),
    h(
      'div',
      { class: 'live-bar' },
      h('p', { id: 'live', role: 'status', class: 'live' }),
      notices.supported
        ? h(
            'div',
            { class: 'check' },
            h('input', {
              type: 'checkbox', id: notifyId, checked: notices.enabled,
              onchange: async (e) => {
                const on = await notices.set(e.currentTarget.checked);
                e.currentTarget.checked = on;
                region('notify-hint').textContent = !on && notices.blocked ? t('notify.blocked') : '';
              },
            }),
            h('label', { for: notifyId }, t('notify.label')),
            h('span', { id: 'notify-hint', class: 'hint' }),
          )
        : null,
    ),
    // A desk key that needs a holder's action, or a refused one, comes before the list.
    ...(attention ? [keysRegion, layout] : [layout, keysRegion]),
  );
  renderLive();
  renderList();
  renderDetail();
  renderKeys();
  main.querySelector('h1').focus();
}

function renderLive() {
  const line = region('live');
  if (!line) return;
  line.dataset.state = app.live;
  line.textContent = [app.t(`live.${app.live}`), app.liveNote?.()].filter(Boolean).join(' ');
}

let listPending = false;
function scheduleList() {
  if (listPending) return;
  listPending = true;
  queueMicrotask(() => {
    listPending = false;
    renderList();
  });
}

function renderList() {
  const target = region('list-region');
  if (!target || !app.inbox) return;
  // Keep focus on the same row's button across a redraw.
  const focused = document.activeElement?.closest?.('#list-region [data-id]')?.dataset.id;
  target.replaceChildren(listView(app, { onOpen: openSignal }));
  if (focused) target.querySelector(`button[data-id="${CSS.escape(focused)}"]`)?.focus();
}

function renderKeys() {
  const target = region('keys-region');
  if (target) target.replaceChildren(keysView(app, { onMakeKey: makeKey, onGrant: grantKey }));
}

function renderDetail({ focus = false } = {}) {
  const target = region('detail-region');
  if (!target) return;
  // A redraw (a new message, a saved status) keeps focus, and the place in a draft, where they were.
  const active = target.contains(document.activeElement) ? document.activeElement : null;
  const selection = active?.selectionStart !== undefined ? [active.selectionStart, active.selectionEnd] : null;
  const view = app.opened
    ? reportView(app, {
        onClose: closeReport, onStatus: setStatus, onReply: sendReply, replyDesks: replyDesks(app.opened.view, app.session.desks),
        forward: { onForwardCheck: forwardCheck, onForwardConfirm: forwardConfirm, onForwardCancel: forwardCancel },
      })
    : '';
  target.replaceChildren(view);
  target.hidden = !app.opened;
  if (focus) target.querySelector('h2')?.focus();
  else if (active?.id) {
    const again = document.getElementById(active.id);
    again?.focus();
    if (selection && again?.setSelectionRange) again.setSelectionRange(...selection);
  }
}

/** Fetches a report and opens it here: its text, its reply keys checked, its messages. */
async function fetchOpened(id) {
  const answer = await app.api.report(id);
  if (!answer.ok) return answer;
  let result = openReport(app.sodium, answer.data, app.deskKeys);
  if (!result.ok && result.code === 'no_key') {
    // A key made since this tab signed in (a rotation by a colleague): fetch and check it.
    await loadKeys();
    renderKeys();
    result = openReport(app.sodium, answer.data, app.deskKeys);
  }
  const check = checkReplyKeys(answer.data, result.ok ? result.plain : null);
  const messages = openMessages(app.sodium, answer.data.messages, { deskKeys: app.deskKeys, sealed: check.sealed });
  // Her consent changes, checked against the mailbox key sealed inside the report.
  const consent = result.ok ? consentReview(app.sodium, answer.data, result.plain) : null;
  const entry = app.inbox.get(id);
  if (entry) {
    entry.view = answer.data;
    entry.newMessage = false;
    entry.keysDiffer = check.state === 'differ';
  }
  return { ok: true, opened: { view: answer.data, result, check, messages, consent } };
}

async function openSignal(id) {
  const session = app.session;
  app.selected = id;
  app.statusMessage = null;
  const answer = await fetchOpened(id);
  if (app.session !== session || app.selected !== id) return;
  if (!answer.ok) {
    app.liveNote = () => app.t('error.other', { code: answer.code });
    renderLive();
    return;
  }
  // The reply's draft and its last word belong to the signal, and outlive its refreshes.
  app.opened = { ...answer.opened, reply: { draft: null, message: null, failed: false, sending: false }, forward: freshForward() };
  renderList();
  renderDetail({ focus: true });
}

/** The open signal again, after a message; the draft of a reply and its last word stay. */
async function refreshOpened(id) {
  const session = app.session;
  const answer = await fetchOpened(id);
  if (app.session !== session || app.selected !== id || !app.opened) return;
  if (!answer.ok) {
    if (answer.status === 404) app.inbox.drop(id, 'gone');
    return;
  }
  app.opened = { ...answer.opened, reply: app.opened.reply, forward: app.opened.forward };
  renderDetail();
  scheduleList();
}

// ---- forwarding to a desk the reporter added (stepped consent) ---------------------------

function freshForward() {
  return { phase: 'idle', targets: [], body: null, message: null, failed: false };
}

/** Verifies first, on a fresh copy of the report and the desks' current keys; then asks. */
async function forwardCheck() {
  const { opened } = app;
  const { forward } = opened;
  const id = opened.view.id;
  if (forward.phase === 'checking' || forward.phase === 'sending') return;
  Object.assign(forward, { phase: 'checking', body: null, targets: [], failed: false, message: () => app.t('forward.checking') });
  renderDetail();
  const [fresh, config] = await Promise.all([fetchOpened(id), app.api.config()]);
  if (app.opened?.forward !== forward) return;
  if (!fresh.ok || !config.ok) {
    const code = fresh.ok ? config.code : fresh.code;
    Object.assign(forward, { phase: 'idle', failed: true, message: () => app.t('forward.error.other', { code }) });
  } else {
    app.config = config.data;
    app.opened = { ...fresh.opened, reply: app.opened.reply, forward };
    const built = buildForward(app.sodium, { view: fresh.opened.view, deskKeys: app.deskKeys, config: config.data });
    if (built.ok) Object.assign(forward, { phase: 'confirm', targets: built.targets, body: built.body, failed: false, message: null });
    else Object.assign(forward, { phase: 'refused', failed: true, message: () => app.t(refusalKeys[built.code] ?? 'forward.refused.not_verified') });
  }
  renderDetail();
  region(forward.phase === 'confirm' ? 'forward-confirm' : 'forward-message')?.focus();
}

/** Posts the envelopes sealed at the check, once the caseworker has seen the fingerprints. */
async function forwardConfirm() {
  const { opened } = app;
  const { forward } = opened;
  const id = opened.view.id;
  if (forward.phase !== 'confirm' || !forward.body) return;
  const desks = forward.targets.map((x) => x.desk);
  const body = forward.body;
  Object.assign(forward, { phase: 'sending', body: null, message: () => app.t('forward.sending') });
  renderDetail();
  const answer = await app.api.forward(id, body);
  if (app.opened?.forward !== forward) return;
  const names = () => listNames(desks.map((d) => namer(app).desk(d)), app.t);
  if (answer.ok) {
    Object.assign(forward, { phase: 'idle', targets: [], failed: false, message: () => app.t('forward.done', { desks: names() }) });
    await refreshOpened(id);
  } else {
    const key = { stale_key: 'forward.error.stale_key', consent_violation: 'forward.error.consent_violation', forbidden: 'forward.error.forbidden' }[answer.code];
    Object.assign(forward, { phase: 'idle', targets: [], failed: true, message: () => (key ? app.t(key) : app.t('forward.error.other', { code: answer.code })) });
  }
  renderDetail();
  region('forward-message')?.focus();
}

function forwardCancel() {
  Object.assign(app.opened.forward, freshForward());
  renderDetail();
  region('forward-start')?.focus();
}

function closeReport() {
  const id = app.selected;
  app.selected = null;
  app.opened = null;
  renderDetail();
  renderList();
  const row = region('list-region')?.querySelector(`button[data-id="${CSS.escape(id ?? '')}"]`);
  // A signal that left the list (withdrawn) hands focus to the list's heading.
  (row ?? region('inbox-title'))?.focus();
}

async function sendReply({ desk, text, lang }) {
  const { opened } = app;
  const { reply } = opened;
  const id = opened.view.id;
  if (reply.sending) return;
  const built = buildDeskReply(app.sodium, {
    view: opened.view, check: opened.check, desk, currentKeyId: app.deskInfo[desk]?.key_id, deskKeys: app.deskKeys,
    opened: opened.messages, text, lang, buckets: app.config?.padding_buckets ?? [],
  });
  const say = (key, vars, failed) => {
    reply.message = () => app.t(key, vars);
    reply.failed = failed;
  };
  if (!built.ok) {
    say(`reply.error.${built.code}`, {}, true);
    renderDetail();
    region(built.code === 'empty' ? 'reply-text' : 'reply-message')?.focus();
    return;
  }
  reply.sending = true;
  say('reply.sending', {}, false);
  renderDetail();
  const answer = await app.api.postMessage(id, built.body);
  reply.sending = false;
  // Another signal opened meanwhile, or this one closed: its reply state went with it.
  if (app.opened?.reply !== reply) return;
  if (answer.ok) {
    reply.draft = null;
    say('reply.sent', {}, false);
    await refreshOpened(id);
  } else {
    const key = `reply.error.${answer.code}`;
    say(app.t.has(key) ? key : 'reply.error.other', { code: answer.code }, true);
  }
  renderDetail();
  region('reply-message')?.focus();
}

async function setStatus(desk, status) {
  const { opened } = app;
  const answer = await app.api.setStatus(opened.view.id, desk, status);
  if (app.opened !== opened) return;
  if (answer.ok) {
    opened.view.status = { ...opened.view.status, ...(answer.data?.status ?? {}) };
    const entry = app.inbox.get(opened.view.id);
    if (entry?.view) entry.view.status = { ...entry.view.status, ...(answer.data?.status ?? {}) };
    app.statusMessage = () => app.t('status.saved');
  } else {
    app.statusMessage = () => app.t('error.other', { code: answer.code });
  }
  renderDetail();
  renderList();
  region(`status-${desk}`)?.focus();
}

async function makeKey(desk, holders, button) {
  const { api, sodium, key } = app;
  button.disabled = true;
  app.keysMessage = () => app.t('keys.making');
  renderKeys();
  const withKeys = [];
  for (const id of holders) {
    if (id === key.staff) {
      withKeys.push({ id, box_pk: encodeKey(key.boxPk) });
      continue;
    }
    const answer = await api.staff(id);
    if (!answer.ok) {
      app.keysMessage = () => app.t('keys.failed', { code: answer.code });
      renderKeys();
      return;
    }
    withKeys.push({ id, box_pk: answer.data.box_pk });
  }
  const made = makeDeskKeyUpload(sodium, { desk, me: key, holders: withKeys });
  const answer = await api.uploadDeskKey(desk, made.body);
  made.key.secretKey.fill(0); // it comes back as a grant, checked like any other
  if (answer.ok) {
    await loadKeys();
    app.keysMessage = () => app.t('keys.made', { desk: namer(app).desk(desk), fingerprint: made.key.fingerprint });
  } else {
    app.keysMessage = () => app.t('keys.failed', { code: answer.code });
  }
  renderKeys();
  region('keys-status')?.focus();
}

async function grantKey(desk, to, button) {
  const { api, sodium, key } = app;
  button.disabled = true;
  app.keysMessage = () => app.t('keys.granting');
  renderKeys();
  const colleague = await api.staff(to);
  const boxPk = colleague.ok ? decode(colleague.data?.box_pk) : null;
  let failed = colleague.ok ? (boxPk?.length === 32 ? null : 'bad_response') : colleague.code;
  for (const k of app.deskKeys.filter((d) => d.desk === desk)) {
    if (failed) break;
    const answer = await api.postGrant(makeGrant(sodium, { desk, publicKey: k.publicKey, secretKey: k.secretKey, to, toBoxPk: boxPk, by: key }));
    if (!answer.ok) failed = answer.code;
  }
  await loadKeys();
  app.keysMessage = failed ? () => app.t('keys.failed', { code: failed }) : () => app.t('keys.granted', { staff: to, desk: namer(app).desk(desk) });
  renderKeys();
  region('keys-status')?.focus();
}

function encodeKey(bytes) {
  return app.sodium.to_base64(bytes, app.sodium.base64_variants.URLSAFE_NO_PADDING);
}

// ---- boot -----------------------------------------------------------------------------

shell.start();
