// Step 5: review and send. Says exactly who can read the report (or that it is only
// counted), then encrypts and sends. Progress and errors are announced; on any error
// everything typed stays, and "Try again" starts over with a fresh proof-of-work token.
// A desk key rotated while the page was open is handled in send.js, without her help.
import { h } from '../dom.js';
import { categoryById, categoryName, deskById, deskName } from '../config.js';
import { listNames } from '../format.js';
import { routedDesks, textBudget } from '../lib/report.js';
import { sendReport } from '../send.js';
import { stepHeader, errorLine } from './common.js';

const knownErrors = new Set([
  'network', 'bad_request', 'pow_invalid', 'pow_failed', 'too_large', 'too_long', 'busy', 'stale_key',
  'consent_violation', 'unknown_desk', 'unknown_category', 'unknown_role', 'bad_config', 'not_found',
  'unsupported_media_type',
]);

export function errorSentence(t, code) {
  return knownErrors.has(code) ? t(`error.${code}`) : t('error.generic');
}

export function reviewStep(app) {
  const { t, draft, config } = app;
  const desks = routedDesks(draft.consent, config.routing, draft.category);
  const category = categoryById(config, draft.category);
  const categoryText = category ? categoryName(category, t) : draft.category;
  const roleText = t.has(`role.${draft.role}.short`) ? t(`role.${draft.role}.short`) : draft.role;
  const deskNames = desks.map((id) => deskName(deskById(config, id), t));
  const countOnly = desks.length === 0;

  const row = (labelKey, value, step) =>
    h('div', { class: 'review-row' },
      h('dt', {}, t(labelKey)),
      h('dd', {}, value, ' ', h('button', { type: 'button', class: 'link', onclick: () => app.go(step) },
        t('review.change'), h('span', { class: 'visually-hidden' }, `: ${t(labelKey)}`))),
    );

  const readers = h('p', { class: countOnly ? 'readers count-only' : 'readers' },
    countOnly
      ? t('review.count_only', { category: categoryText, role: roleText })
      : t('review.readers', { desks: listNames(deskNames, t) }));

  const status = h('p', { class: 'status', 'aria-live': 'polite' });
  const bar = h('progress', { max: '100', value: '0', 'aria-label': t('send.progress_label') });
  bar.hidden = true;
  const error = errorLine();
  const sendButton = h('button', { type: 'button', class: 'primary', onclick: send }, t('review.send'));
  const backButton = h('button', { type: 'button', class: 'secondary', onclick: () => app.go('reply') }, t('nav.back'));

  async function send() {
    const { used, max } = textBudget(draft, config.padding_buckets ?? [65536]);
    if (!countOnly && used > max) {
      error.show(t('what.too_long'));
      return;
    }
    sendButton.disabled = true;
    backButton.disabled = true;
    sendButton.textContent = t('review.sending');
    error.show('');
    bar.hidden = false;
    let lastPercent = -1;
    const result = await sendReport(config, draft, (stage, fraction) => {
      const percent = Math.round(fraction * 100);
      bar.value = percent;
      // Announce stage changes and every 10%, not every slice of work.
      if (stage !== 'working') status.textContent = t(`send.${stage}`);
      else if (Math.floor(percent / 10) !== Math.floor(lastPercent / 10)) {
        status.textContent = t('send.working', { percent });
      }
      lastPercent = percent;
    });
    // After a key rotation the page holds the fresh configuration, for this and any retry.
    if (result.config) app.config = result.config;
    if (result.ok) {
      app.finish({ desks: result.desks, countOnly: result.countOnly, receivedDay: result.data.received_day, receipt: result.replied ? draft.receipt : null });
      return;
    }
    bar.hidden = true;
    status.textContent = '';
    error.show(`${errorSentence(t, result.code)} ${t('send.kept')}`);
    sendButton.disabled = false;
    backButton.disabled = false;
    sendButton.textContent = t('send.retry');
    sendButton.focus();
  }

  const whenText = draft.when ? t(`when.${draft.when}`) : t('review.empty');
  return h(
    'section',
    { class: 'step' },
    stepHeader(app, 'review', 'review.title'),
    h('dl', { class: 'review' },
      row('review.role', t.has(`role.${draft.role}`) ? t(`role.${draft.role}`) : draft.role, 'role'),
      row('review.category', categoryText, 'what'),
      row('review.when', whenText, 'what'),
      row('review.where', draft.where || t('review.empty'), 'what'),
      countOnly ? null : row('review.text', h('span', { class: 'review-text' }, draft.text || t('review.empty')), 'what'),
      countOnly ? null : row('review.reply', draft.receipt ? t('review.reply_yes', { code: draft.receipt }) : t('review.reply_no'), 'reply'),
    ),
    h('h2', {}, t('review.who')),
    readers,
    h('p', {}, h('button', { type: 'button', class: 'link', onclick: () => app.go('who') }, t('review.change_who'))),
    error,
    bar,
    status,
    h('div', { class: 'nav' }, sendButton, backButton),
  );
}
