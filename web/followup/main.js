// The reporter's follow-up page at /follow-up/ (PROTOCOL.md section 7): she types her
// receipt, the browser derives the mailbox keys from it and signs in for this page's
// own origin, then shows her report's status per desk and the messages, opened here.
// She can write back (signed with the mailbox key), change who may read the report
// (stepped consent: a change signed with the mailbox key, after a screen that says
// plainly what it means), or withdraw the report. The keys live in this tab's memory
// only and are wiped on closing, leaving and withdrawing.
import { categoryById, categoryName, deskAbout, deskById, deskName, offeredLanguages } from '../src/config.js';
import { h } from '../src/dom.js';
import { formatDay, listNames } from '../src/format.js';
import { languages, pickLanguage } from '../src/languages.js';
import { nextChange, signConsentChange } from '../src/lib/consent.js';
import { nextN, openAsReporter, sealReporterMessage, sequenceFlags } from '../src/lib/message.js';
import { receiptKeys } from '../src/lib/receipt.js';
import { installQuickExit, setQuickExitUrl } from '../src/quick-exit.js';
import { loadSodium } from '../src/sodium.js';
import { getConfig, mailboxSession } from './mailbox.js';
import { consentChoices, deskKeysFor, deskPublicKeys, messageFits, messageItems, readReceipt, statusRows, wipeKeys, writableDesks } from './model.js';
import { loadTexts } from './texts.js';

const main = document.getElementById('main');
const exitButton = document.getElementById('quick-exit');
const picker = document.getElementById('lang-picker');
const pickerLabel = document.getElementById('lang-label');
const signOutButton = document.getElementById('sign-out');

// Error codes with their own sentence; anything else is "something went wrong".
const knownErrors = new Set(['network', 'busy', 'unavailable', 'stale_key', 'too_large', 'too_long', 'consent_violation', 'crypto', 'config']);

const app = {
  t: null,
  config: null,
  sodium: null,
  keys: null,
  session: null,
  report: null,
  items: [],
  opened: [],
  screen: 'enter',
  notice: null, // {key, vars, alert}: one line shown on the next render
  draft: { text: '', to: null },
  change: null, // the consent change on the confirmation screen: {desk, add: bool}
  busy: false,
};

const errorKey = (code) => (code === 'unauthorized' ? 'followup.error.expired' : `followup.error.${knownErrors.has(code) ? code : 'generic'}`);

// ---- keys and session -------------------------------------------------------------

/** Forgets the receipt's keys, the token and everything shown of the mailbox. */
function forget() {
  app.session?.signOut();
  wipeKeys(app.keys);
  app.keys = null;
  app.session = null;
  app.report = null;
  app.items = [];
  app.opened = [];
  app.draft = { text: '', to: null };
  app.change = null;
}

function openMessage(message) {
  const { keys, sodium, config } = app;
  try {
    return openAsReporter(sodium, message, {
      boxPk: keys.box.publicKey,
      boxSk: keys.box.privateKey,
      mailboxPk: keys.mailbox.publicKey,
      deskPublicKeys: deskPublicKeys(config),
    });
  } catch {
    return { status: 'unreadable' };
  }
}

/** Reads the mailbox again: {ok: true}, or the failed answer (the shown mailbox stays). */
async function load() {
  const answer = await app.session.view();
  if (!answer.ok) return answer;
  const report = Array.isArray(answer.data?.reports) ? answer.data.reports[0] ?? null : null;
  const served = report && Array.isArray(answer.data.messages) ? answer.data.messages.filter((m) => m?.report_id === report.id) : [];
  app.report = report;
  app.opened = served.map(openMessage);
  app.items = messageItems(served, app.opened, sequenceFlags(app.opened));
  return { ok: true };
}

/** Reads the mailbox again and shows it, with `done` as the line on top when it worked. */
async function reload(done) {
  const answer = await load();
  if (!answer.ok && answer.status === 401) {
    expire();
    return;
  }
  // A message that was sent stays "sent", even when reading the mailbox again failed.
  app.notice = answer.ok || done.always ? done : { key: errorKey(answer.code), alert: true };
  render({ focusId: 'notice' });
}

function expire() {
  forget();
  app.screen = 'enter';
  app.notice = { key: 'followup.error.expired', alert: true };
  render({ focusHeading: true });
}

async function open(receiptText, showError, showProgress) {
  const receipt = readReceipt(receiptText);
  if (!receipt) {
    showError('followup.not_a_code');
    return false;
  }
  showProgress('followup.opening');
  try {
    app.sodium ??= await loadSodium();
  } catch {
    receipt.fill(0);
    showError(errorKey('crypto'));
    return false;
  }
  forget();
  app.keys = receiptKeys(app.sodium, receipt);
  receipt.fill(0);
  app.session = mailboxSession();
  const signedIn = await app.session.signIn(app.sodium, app.keys.mailbox, window.location.origin);
  const loaded = signedIn.ok ? await load() : signedIn;
  if (!loaded.ok) {
    forget();
    // A refused sign-in is not an expired session: it says only that something went wrong.
    showError(errorKey(loaded.code === 'unauthorized' ? 'generic' : loaded.code));
    return false;
  }
  app.screen = 'mailbox';
  render({ focusHeading: true });
  return true;
}

async function send(text, to) {
  const { config, report, keys, sodium, t } = app;
  const n = nextN(app.opened, 'reporter');
  if (!messageFits(text, t.lang, n, config.padding_buckets)) return { ok: false, code: 'too_long' };
  const seal = (cfg) =>
    sealReporterMessage(sodium, {
      reportId: report.id,
      deskKeys: deskKeysFor(cfg, to),
      boxPk: keys.box.publicKey,
      mailboxSk: keys.mailbox.privateKey,
      text,
      lang: t.lang,
      n,
      buckets: cfg.padding_buckets,
    });
  let answer;
  try {
    answer = await app.session.send(seal(config));
    // A desk rotated its key meanwhile: fetch the keys again and seal the same text once more.
    if (!answer.ok && answer.code === 'stale_key') {
      const fresh = await getConfig();
      if (!fresh.ok) return fresh;
      app.config = fresh.data;
      answer = await app.session.send(seal(fresh.data));
    }
  } catch (e) {
    // sealReporterMessage refuses a text that fits no bucket, or a desk key whose id is wrong.
    return { ok: false, code: e?.message === 'too_long' ? 'too_long' : 'generic' };
  }
  return answer;
}

// ---- views --------------------------------------------------------------------------

function heading(key, vars) {
  return h('h1', { tabindex: '-1' }, app.t(key, vars));
}

function noticeLine() {
  const { notice, t } = app;
  const line = h('p', { id: 'notice', tabindex: '-1', class: notice?.alert ? 'error' : 'note', role: notice?.alert ? 'alert' : 'status' });
  if (notice) line.textContent = t(notice.key, notice.vars);
  else line.hidden = true;
  app.notice = null;
  return line;
}

function enterView() {
  const { t } = app;
  const error = h('p', { id: 'receipt-error', class: 'error', role: 'alert', hidden: true });
  const progress = h('p', { id: 'open-status', class: 'hint', role: 'status' });
  const input = h('input', {
    id: 'receipt', name: 'receipt', type: 'text', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false',
    'aria-describedby': 'receipt-hint receipt-error',
  });
  const submit = h('button', { type: 'submit', id: 'open', class: 'primary' }, t('followup.open'));
  const showError = (key) => {
    progress.textContent = '';
    error.textContent = t(key);
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  };
  const form = h('form', {
    class: 'enter', novalidate: true,
    onsubmit: async (event) => {
      event.preventDefault();
      if (app.busy) return;
      error.hidden = true;
      input.removeAttribute('aria-invalid');
      app.busy = true;
      submit.disabled = true;
      const value = input.value;
      const done = await open(value, showError, (key) => (progress.textContent = t(key)));
      app.busy = false;
      submit.disabled = false;
      if (done) input.value = '';
    },
  },
  h('div', { class: 'field' },
    h('label', { for: 'receipt' }, t('followup.code_label')),
    h('p', { class: 'hint', id: 'receipt-hint' }, t('followup.code_hint')),
    input),
  error,
  progress,
  h('div', { class: 'nav' }, submit));
  return h('section', { class: 'screen' },
    heading('followup.title'),
    noticeLine(),
    h('p', {}, t('followup.intro')),
    form,
    h('p', { class: 'note' }, t('followup.nothing_kept')),
    h('p', {}, t('followup.lost')),
    h('p', {}, h('a', { class: 'button-link', href: '../' }, t('followup.new_report'))));
}

const nameOf = (id) => deskName(deskById(app.config, id) ?? { id }, app.t);

function statusSection() {
  const { t, report, config } = app;
  const category = categoryName(categoryById(config, report.category) ?? { id: report.category }, t);
  return [
    h('h2', {}, t('followup.report_title')),
    h('p', { id: 'report-summary' }, t('followup.report_category', { category }), h('br'), t('followup.report_received', { day: formatDay(report.received_day, t.lang) })),
  ];
}

/** Who can read the report (holding it or waiting for it), and her choices to change it. */
function readersSection() {
  const { t, report, config } = app;
  const choices = consentChoices(config, report);
  const choose = (desk, add) => () => {
    app.change = { desk, add };
    go('consent');
  };
  const button = (desk, add) => h('button', {
    type: 'button', class: 'secondary', id: `consent-${add ? 'add' : 'remove'}-${desk}`, 'data-desk': desk, onclick: choose(desk, add),
  }, t(add ? 'followup.consent.add' : 'followup.consent.remove', { desk: nameOf(desk) }));
  return h('section', { class: 'readers', 'aria-labelledby': 'readers-title' },
    h('h2', { id: 'readers-title', tabindex: '-1' }, t('followup.readers_title')),
    h('ul', { class: 'status-list' },
      statusRows(report).map((row) => h('li', { 'data-desk': row.desk }, t(row.key, { desk: nameOf(row.desk) })))),
    h('p', {}, t('followup.consent.intro')),
    choices.add.length || choices.remove.length
      ? h('div', { class: 'nav consent-choices' }, choices.add.map((d) => button(d, true)), choices.remove.map((d) => button(d, false)))
      : null,
    choices.only ? h('p', { class: 'hint', id: 'consent-only' }, t('followup.consent.only', { desk: nameOf(choices.only) })) : null);
}

/** The one tap from a desk's message (a question such as "may we pass this on?") to her choices. */
function toReaders() {
  const target = document.getElementById('readers-title');
  target?.scrollIntoView({ block: 'start' });
  target?.focus();
}

function messageView(item) {
  const { t } = app;
  const day = item.day ? h('p', { class: 'day' }, t('followup.on_day', { day: formatDay(item.day, t.lang) })) : null;
  const flag = item.flag ? h('p', { class: 'flag' }, t(`followup.flag.${item.flag}`)) : null;
  if (item.kind === 'desk' || item.kind === 'own') {
    const who = item.kind === 'desk'
      ? t('followup.from_desk', { desk: nameOf(item.desk) })
      : t('followup.from_you', { desks: listNames(item.to.map(nameOf), t) });
    return h('li', { class: `message ${item.kind}`, 'data-kind': item.kind, 'data-sender': item.kind === 'desk' ? `desk:${item.desk}` : 'reporter' },
      h('h3', {}, who), day, flag,
      h('p', { class: 'text', lang: item.lang ?? null }, item.text),
      // The answer is never a reply: only her own signed change lets anyone else read it.
      item.kind === 'desk' ? h('button', { type: 'button', class: 'button-link to-readers', onclick: toReaders }, t('followup.consent.link')) : null);
  }
  const [title, text] = item.kind === 'unchecked'
    ? ['followup.unchecked_title', 'followup.unchecked']
    : ['followup.unreadable_title', 'followup.unreadable'];
  return h('li', { class: `message ${item.kind}`, 'data-kind': item.kind }, h('h3', {}, t(title)), day, h('p', {}, t(text)));
}

function messagesSection() {
  const { t, items } = app;
  return [
    h('h2', {}, t('followup.messages_title')),
    items.length ? h('ol', { class: 'messages' }, items.map(messageView)) : h('p', { id: 'no-messages' }, t('followup.no_messages')),
    h('div', { class: 'nav' },
      h('button', { type: 'button', id: 'refresh', class: 'secondary', onclick: refresh }, t('followup.refresh'))),
  ];
}

async function refresh() {
  if (app.busy) return;
  app.busy = true;
  await reload({ key: 'followup.refreshed', alert: false });
  app.busy = false;
}

function writeSection() {
  const { t, config, report, draft } = app;
  const desks = writableDesks(config, report);
  if (!desks.length) return [h('h2', {}, t('followup.write_title')), h('p', {}, t('followup.cannot_write'))];
  draft.to ??= new Set(desks);
  const error = h('p', { id: 'write-error', class: 'error', role: 'alert', hidden: true });
  const status = h('p', { id: 'send-status', class: 'hint', role: 'status' });
  const text = h('textarea', {
    id: 'reply-text', name: 'reply-text', rows: '5', 'aria-describedby': 'reply-hint write-error',
    oninput: () => (draft.text = text.value),
  });
  text.value = draft.text;
  const submit = h('button', { type: 'submit', id: 'send', class: 'primary' }, t('followup.send'));
  const showError = (key, focus) => {
    status.textContent = '';
    error.textContent = t(key);
    error.hidden = false;
    focus?.focus();
  };
  const boxes = desks.map((desk) => h('div', { class: 'choice' },
    h('input', {
      type: 'checkbox', id: `to-${desk}`, name: 'to', value: desk, checked: draft.to.has(desk),
      onchange: (e) => (e.target.checked ? draft.to.add(desk) : draft.to.delete(desk)),
    }),
    h('label', { for: `to-${desk}` }, h('span', { class: 'choice-name' }, nameOf(desk)))));
  const form = h('form', {
    class: 'write', novalidate: true,
    onsubmit: async (event) => {
      event.preventDefault();
      if (app.busy) return;
      error.hidden = true;
      const to = desks.filter((d) => draft.to.has(d));
      if (!to.length) return showError('followup.to_required', boxes[0].querySelector('input'));
      if (!draft.text.trim()) return showError('followup.write_empty', text);
      app.busy = true;
      submit.disabled = true;
      status.textContent = t('followup.sending');
      const answer = await send(draft.text, to);
      app.busy = false;
      submit.disabled = false;
      if (!answer.ok) {
        if (answer.status === 401) return expire();
        return showError(errorKey(answer.code), text);
      }
      draft.text = '';
      draft.to = null;
      await reload({ key: 'followup.sent', alert: false, always: true });
      return undefined;
    },
  },
  h('fieldset', { class: 'choices' }, h('legend', {}, t('followup.to_legend')), boxes),
  h('div', { class: 'field' },
    h('label', { for: 'reply-text' }, t('followup.write_label')),
    h('p', { class: 'hint', id: 'reply-hint' }, t('followup.write_hint')),
    text),
  error,
  status,
  h('div', { class: 'nav' }, submit));
  return [h('h2', {}, t('followup.write_title')), form];
}

function mailboxView() {
  const { t, report } = app;
  if (!report) {
    return h('section', { class: 'screen' },
      heading('followup.empty_title'),
      noticeLine(),
      h('p', { id: 'empty' }, t('followup.empty')),
      h('div', { class: 'nav' },
        h('button', { type: 'button', id: 'try-again', class: 'secondary', onclick: () => signOut(null) }, t('followup.try_again'))));
  }
  return h('section', { class: 'screen' },
    heading('followup.mailbox_title'),
    noticeLine(),
    statusSection(),
    readersSection(),
    messagesSection(),
    writeSection(),
    h('h2', {}, t('followup.withdraw_title')),
    h('p', {}, t('followup.withdraw_intro')),
    h('div', { class: 'nav' },
      h('button', { type: 'button', id: 'withdraw', class: 'secondary', onclick: () => go('confirm') }, t('followup.withdraw'))));
}

function confirmView() {
  const { t } = app;
  const error = h('p', { id: 'withdraw-error', class: 'error', role: 'alert', hidden: true });
  const yes = h('button', {
    type: 'button', id: 'confirm-withdraw', class: 'primary danger',
    onclick: async () => {
      if (app.busy) return;
      app.busy = true;
      yes.disabled = true;
      const answer = await app.session.withdraw(app.report.id);
      app.busy = false;
      yes.disabled = false;
      // 404: it is gone already (withdrawn from another tab), which is what she asked for.
      if (answer.ok || answer.status === 404) {
        forget();
        go('withdrawn');
        return;
      }
      if (answer.status === 401) {
        expire();
        return;
      }
      error.textContent = t(errorKey(answer.code));
      error.hidden = false;
    },
  }, t('followup.confirm_yes'));
  return h('section', { class: 'screen' },
    heading('followup.confirm_title'),
    h('p', {}, t('followup.confirm_text')),
    h('p', { class: 'note' }, t('followup.confirm_keep')),
    error,
    h('div', { class: 'nav' },
      yes,
      h('button', { type: 'button', id: 'keep', class: 'secondary', onclick: () => go('mailbox') }, t('followup.confirm_no'))));
}

/**
 * The confirmation of a consent change: what it means, in plain words, before she signs.
 * Only "yes" signs (with the mailbox key, in this tab) and sends it.
 */
function consentView() {
  const { t, report, config, change } = app;
  if (!report || !change) return mailboxView();
  const desk = nameOf(change.desk);
  const holders = (Array.isArray(report.desks) ? report.desks : []).map(nameOf);
  const waiting = !change.add && !(report.desks ?? []).includes(change.desk);
  const about = change.add ? deskAbout(deskById(config, change.desk) ?? { id: change.desk }, t) : '';
  const error = h('p', { id: 'consent-error', class: 'error', role: 'alert', tabindex: '-1', hidden: true });
  const status = h('p', { id: 'consent-status', class: 'hint', role: 'status' });
  const yes = h('button', {
    type: 'button', id: 'consent-confirm', class: change.add ? 'primary' : 'danger',
    onclick: async () => {
      if (app.busy) return;
      app.busy = true;
      yes.disabled = true;
      error.hidden = true;
      status.textContent = t('followup.sending');
      const answer = await sendChange(change);
      app.busy = false;
      yes.disabled = false;
      status.textContent = '';
      if (answer.ok) {
        app.change = null;
        app.screen = 'mailbox';
        await reload({ key: change.add ? 'followup.consent.added' : 'followup.consent.removed', vars: { desk }, alert: false, always: true });
        return;
      }
      if (answer.status === 401) return expire();
      if (answer.code === 'stale_change' || answer.code === 'consent_violation') {
        // What she saw is out of date (another tab, a desk that changed): show it afresh.
        app.change = null;
        app.screen = 'mailbox';
        const key = answer.code === 'stale_change' ? 'followup.consent.error.stale_change' : 'followup.consent.error.consent_violation';
        await reload({ key, alert: true, always: true });
        return;
      }
      error.textContent = t(errorKey(answer.code));
      error.hidden = false;
      error.focus();
    },
  }, t(change.add ? 'followup.consent.add_yes' : 'followup.consent.remove_yes', { desk }));
  const means = change.add ? 'followup.consent.add_means' : waiting ? 'followup.consent.remove_waiting_means' : 'followup.consent.remove_means';
  return h('section', { class: 'screen consent', 'data-change': change.add ? 'add' : 'remove', 'data-desk': change.desk },
    heading(change.add ? 'followup.consent.add_title' : 'followup.consent.remove_title', { desk }),
    h('p', { id: 'consent-means', class: 'means' }, t(means, { desk })),
    about ? h('p', { id: 'consent-about' }, about) : null,
    change.add ? h('p', {}, t('followup.consent.add_sees')) : null,
    change.add ? h('p', {}, t('followup.consent.add_when', { desk })) : null,
    holders.length ? h('p', { class: 'note', id: 'consent-now' }, t('followup.consent.now', { desks: listNames(holders, t) })) : null,
    error,
    status,
    h('div', { class: 'nav' },
      yes,
      h('button', { type: 'button', id: 'consent-cancel', class: 'secondary', onclick: () => {
        app.change = null;
        go('mailbox');
      } }, t('followup.consent.no'))));
}

/** Signs the change with her mailbox key and sends it: the mailbox API's answer. */
async function sendChange(change) {
  const { report, keys, sodium } = app;
  let body;
  try {
    body = signConsentChange(sodium, {
      reportId: report.id,
      change: nextChange(report.consent_changes),
      add: change.add ? [change.desk] : [],
      remove: change.add ? [] : [change.desk],
      mailboxSk: keys.mailbox.privateKey,
    });
  } catch {
    return { ok: false, code: 'generic' };
  }
  return app.session.changeConsent(body);
}

function withdrawnView() {
  const { t } = app;
  return h('section', { class: 'screen' },
    heading('followup.withdrawn_title'),
    h('p', {}, t('followup.withdrawn')),
    h('p', { class: 'note' }, t('followup.confirm_keep')),
    h('div', { class: 'nav' },
      h('button', { type: 'button', id: 'start-again', class: 'secondary', onclick: () => go('enter') }, t('followup.try_again'))),
    h('p', {}, h('a', { class: 'button-link', href: '../' }, t('followup.new_report'))));
}

const views = { enter: enterView, mailbox: mailboxView, consent: consentView, confirm: confirmView, withdrawn: withdrawnView };

function go(screen) {
  app.screen = screen;
  render({ focusHeading: true });
}

function signOut(noticeKey = 'followup.signed_out') {
  forget();
  app.screen = 'enter';
  if (noticeKey) app.notice = { key: noticeKey, alert: false };
  render({ focusHeading: true });
}

// ---- chrome -------------------------------------------------------------------------

function renderChrome() {
  const { t } = app;
  document.documentElement.lang = t.lang;
  document.title = t('followup.app_title');
  exitButton.textContent = t('bar.quick_exit');
  exitButton.title = t('bar.quick_exit_hint');
  pickerLabel.textContent = t('bar.language');
  const offered = offeredLanguages(app.config);
  picker.replaceChildren(...languages.filter((l) => offered.includes(l.code)).map((l) => h('option', { value: l.code, lang: l.code }, l.name)));
  picker.value = t.lang;
  signOutButton.textContent = t('followup.sign_out');
  signOutButton.hidden = !app.session;
}

function render({ focusHeading = false, focusId = null } = {}) {
  renderChrome();
  main.replaceChildren(views[app.screen]());
  main.dataset.screen = app.screen;
  const target = (focusId && document.getElementById(focusId)) || (focusHeading && main.querySelector('h1'));
  if (target && !target.hidden) target.focus();
  else if (focusId) main.querySelector('h1')?.focus();
  if (focusHeading) window.scrollTo(0, 0);
}

function showLoadError() {
  main.replaceChildren(
    h('h1', { tabindex: '-1' }, 'This page could not load. Please try again.'),
    h('div', { class: 'nav' }, h('button', { type: 'button', class: 'primary', onclick: start }, 'Try again')),
  );
}

async function start() {
  const preferred = navigator.languages ?? [navigator.language];
  const config = await getConfig();
  if (!config.ok) {
    showLoadError();
    return;
  }
  app.config = config.data;
  setQuickExitUrl(app.config.quick_exit_url);
  try {
    app.t = await loadTexts(pickLanguage(preferred, offeredLanguages(app.config)));
  } catch {
    showLoadError();
    return;
  }
  render();
}

// Quick exit, closing the tab and going back all forget the keys first.
exitButton.addEventListener('click', forget);
installQuickExit(exitButton);
window.addEventListener('pagehide', forget);
signOutButton.addEventListener('click', () => signOut());
picker.addEventListener('change', async () => {
  if (!app.config) return;
  try {
    app.t = await loadTexts(picker.value);
  } catch {
    // keep the current language; the picker snaps back on render
  }
  render({ focusId: 'lang-picker' });
});
start();
