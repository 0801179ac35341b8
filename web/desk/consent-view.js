// Stepped consent in an opened signal (PROTOCOL.md section 7): who may read it now (the
// desks that hold it and those the reporter added, waiting for it), every change she made
// with its verdict (her signature checked against the mailbox key sealed inside the report,
// never the served one), and the Forward control. Forward checks everything again on a
// fresh copy of the report first, shows the fingerprint of each new desk's key, and seals
// only after the caseworker confirms; a change that does not verify refuses it.
import { h } from '../src/dom.js';
import { formatDay, listNames } from '../src/format.js';
import { namer } from './names.js';

// One sentence per problem the checks can find (web/src/lib/consent.js, src/staff/forward.js).
const problemKeys = {
  no_mailbox_key: 'consent.problem.no_mailbox_key',
  malformed: 'consent.problem.malformed',
  bad_signature: 'consent.problem.bad_signature',
  out_of_order: 'consent.problem.out_of_order',
  already_reader: 'consent.problem.already_reader',
  not_a_reader: 'consent.problem.not_a_reader',
  no_reader_left: 'consent.problem.no_reader_left',
  replay_differs: 'consent.problem.replay_differs',
  not_opened: 'consent.problem.not_opened',
};

const refusalKeys = {
  not_opened: 'forward.refused.not_opened',
  not_verified: 'forward.refused.not_verified',
  nothing_pending: 'forward.refused.nothing_pending',
  not_pending: 'forward.refused.nothing_pending',
  no_desk_key: 'forward.refused.no_desk_key',
};

function problemLines(t, problems) {
  return h('ul', { class: 'problems' }, problems.map((p) => h('li', { 'data-problem': p.problem },
    p.change === null ? t(problemKeys[p.problem] ?? 'consent.problem.other', { n: '' }) : t('consent.problem.at', { n: p.change, problem: t(problemKeys[p.problem] ?? 'consent.problem.other') }))));
}

function changeLine(t, name, v) {
  const parts = [];
  if (v.add.length) parts.push(t('consent.change_add', { desks: listNames(v.add.map(name.desk), t) }));
  if (v.remove.length) parts.push(t('consent.change_remove', { desks: listNames(v.remove.map(name.desk), t) }));
  const verified = v.verdict === 'verified';
  return h('li', { class: 'consent-change', 'data-change': v.change ?? '', 'data-verdict': v.verdict },
    h('p', { class: 'consent-change-head' }, t('consent.change_head', { n: v.change ?? '?', day: formatDay(v.day, t.lang) }), ' ', parts.join(' ')),
    h('p', { class: `verdict verdict-${verified ? 'verified' : 'rejected'}` }, t(verified ? 'consent.verdict.verified' : 'consent.verdict.bad_signature')));
}

/** The forward control's part: idle, checking, refused, confirm (fingerprints), sending, done. */
function forwardPart(app, { onForwardCheck, onForwardConfirm, onForwardCancel }) {
  const { t } = app;
  const name = namer(app);
  const { forward, view } = app.opened;
  const pending = Array.isArray(view.pending) ? view.pending : [];
  const status = h('p', { id: 'forward-message', role: forward.phase === 'refused' ? 'alert' : 'status', tabindex: '-1',
    class: forward.phase === 'refused' || forward.failed ? 'error' : 'hint' }, forward.message?.() ?? '');
  if (forward.phase === 'confirm') {
    return h('div', { class: 'forward', id: 'forward-confirm-panel' },
      h('p', {}, t('forward.confirm_intro')),
      h('ul', { class: 'forward-targets' }, forward.targets.map((target) => h('li', { 'data-desk': target.desk },
        h('span', {}, t('forward.target', { desk: name.desk(target.desk) })), ' ',
        h('span', { class: 'fingerprint', 'data-fingerprint': target.fingerprint }, target.fingerprint)))),
      h('p', { class: 'hint' }, t('forward.compare')),
      h('div', { class: 'nav' },
        h('button', { type: 'button', class: 'primary', id: 'forward-confirm', onclick: onForwardConfirm },
          t('forward.confirm', { desks: listNames(forward.targets.map((x) => name.desk(x.desk)), t) })),
        h('button', { type: 'button', id: 'forward-cancel', onclick: onForwardCancel }, t('forward.cancel'))),
      status);
  }
  if (pending.length === 0 || !app.opened.result.ok) return status.textContent ? status : null;
  return h('div', { class: 'forward' },
    h('p', { class: 'hint', id: 'forward-intro' }, t('forward.intro', { desks: listNames(pending.map(name.desk), t) })),
    h('div', { class: 'nav' },
      h('button', { type: 'button', class: 'primary', id: 'forward-start', 'aria-describedby': 'forward-intro',
        disabled: forward.phase === 'checking' || forward.phase === 'sending', onclick: onForwardCheck },
      t('forward.start', { desks: listNames(pending.map(name.desk), t) }))),
    status);
}

export function consentView(app, handlers) {
  const { t } = app;
  const name = namer(app);
  const { view, consent } = app.opened;
  const pending = Array.isArray(view.pending) ? view.pending : [];
  const changes = Array.isArray(view.consent_changes) ? view.consent_changes : [];
  const mineWaiting = app.session.desks.filter((d) => pending.includes(d));
  if (!changes.length && !pending.length && !app.opened.forward.message) return null;
  const verdicts = consent?.verdicts ?? [];
  return h('section', { class: 'consent', 'aria-labelledby': 'consent-title' },
    h('h3', { id: 'consent-title' }, t('consent.title')),
    pending.length ? h('p', { id: 'consent-pending' }, t('consent.pending', { desks: listNames(pending.map(name.desk), t) })) : null,
    mineWaiting.length && !app.opened.result.ok ? h('p', { class: 'note', id: 'consent-mine-waiting' }, t('consent.mine_waiting')) : null,
    changes.length
      ? h('ol', { class: 'consent-changes', id: 'consent-changes' }, verdicts.map((v) => changeLine(t, name, v)))
      : null,
    consent
      ? consent.ok
        ? h('p', { class: 'hint', id: 'consent-checked' }, t('consent.all_verified'))
        : h('div', { class: 'warning', id: 'consent-problems', role: 'alert' }, h('p', {}, t('consent.not_verified')), problemLines(t, consent.problems))
      : h('p', { class: 'note', id: 'consent-unchecked' }, t('consent.unchecked')),
    forwardPart(app, handlers));
}

export { refusalKeys };
