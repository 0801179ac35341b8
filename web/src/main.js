// The phone page: loads the instance config and a translation, then shows one step at
// a time. Everything typed lives in memory only (state.js).
import { getConfig } from './api.js';
import { offeredLanguages } from './config.js';
import { h } from './dom.js';
import { loadTranslator, makeTranslator } from './i18n.js';
import { languages, pickLanguage } from './languages.js';
import { installQuickExit, setQuickExitUrl } from './quick-exit.js';
import { loadSodium } from './sodium.js';
import { emptyDraft } from './state.js';
import { doneStep } from './steps/done.js';
import { helpView } from './steps/help.js';
import { languageStep } from './steps/language.js';
import { replyStep } from './steps/reply.js';
import { reviewStep } from './steps/review.js';
import { roleStep } from './steps/role.js';
import { whatStep } from './steps/what.js';
import { whoStep } from './steps/who.js';

const views = {
  language: languageStep,
  role: roleStep,
  what: whatStep,
  who: whoStep,
  reply: replyStep,
  review: reviewStep,
  done: doneStep,
};

const main = document.getElementById('main');
const exitButton = document.getElementById('quick-exit');
const helpButton = document.getElementById('help-button');
const picker = document.getElementById('lang-picker');
const pickerLabel = document.getElementById('lang-label');
const followUpLink = document.getElementById('follow-up-link');

const app = {
  config: null,
  t: null,
  draft: null,
  step: 'language',
  helpOpen: false,
  result: null,

  go(step) {
    this.step = step;
    this.helpOpen = false;
    // Start loading the crypto code while the reporter writes, not when they press send.
    if (step === 'what') loadSodium().catch(() => {});
    render({ focusHeading: true });
  },
  showHelp() {
    this.helpOpen = true;
    render({ focusHeading: true });
  },
  closeHelp() {
    this.helpOpen = false;
    render({ focusHeading: true });
  },
  finish(result) {
    this.result = result;
    this.draft = emptyDraft(this.t.lang);
    this.go('done');
  },
  restart() {
    this.result = null;
    this.draft = emptyDraft(this.t.lang);
    this.go('role');
  },
  async setLanguage(code, focusId) {
    try {
      this.t = await loadTranslator(code);
    } catch {
      return; // keep the current language; the picker snaps back on render
    }
    this.draft.lang = code;
    render({ focusId });
  },
};

function renderChrome() {
  const { t } = app;
  document.documentElement.lang = t.lang;
  document.title = t('app.title');
  exitButton.textContent = t('bar.quick_exit');
  exitButton.title = t('bar.quick_exit_hint');
  helpButton.textContent = t('bar.help');
  helpButton.hidden = app.helpOpen;
  pickerLabel.textContent = t('bar.language');
  followUpLink.textContent = t('bar.follow_up');
  const offered = offeredLanguages(app.config);
  picker.replaceChildren(
    ...languages
      .filter((l) => offered.includes(l.code))
      .map((l) => h('option', { value: l.code, lang: l.code }, l.name)),
  );
  picker.value = t.lang;
}

function render({ focusHeading = false, focusId = null } = {}) {
  renderChrome();
  const view = app.helpOpen ? helpView(app) : views[app.step](app);
  main.replaceChildren(view);
  main.dataset.step = app.helpOpen ? 'help' : app.step;
  const target = (focusId && document.getElementById(focusId)) || (focusHeading && main.querySelector('h1'));
  if (target) target.focus();
  if (focusHeading) window.scrollTo(0, 0);
}

function showLoadError(t) {
  main.replaceChildren(
    h('h1', { tabindex: '-1' }, t('error.config')),
    h('div', { class: 'nav' }, h('button', { type: 'button', class: 'primary', onclick: start }, t('send.retry'))),
  );
}

async function start() {
  const first = pickLanguage(navigator.languages ?? [navigator.language], languages.map((l) => l.code));
  const [config, t] = await Promise.all([getConfig(), loadTranslator(first).catch(() => null)]);
  // Without any translation, a minimal English line is better than a blank page.
  const fallbackT = t ?? makeTranslator('en', {}, { 'error.config': 'This page could not load. Please try again.', 'send.retry': 'Try again' });
  if (!config.ok || !t) {
    showLoadError(fallbackT);
    return;
  }
  app.config = config.data;
  setQuickExitUrl(app.config.quick_exit_url);
  const offered = offeredLanguages(app.config);
  try {
    app.t = offered.includes(first) ? t : await loadTranslator(pickLanguage(navigator.languages, offered));
  } catch {
    showLoadError(t);
    return;
  }
  app.draft = emptyDraft(app.t.lang);
  render();
}

installQuickExit(exitButton);
helpButton.addEventListener('click', () => app.config && app.showHelp());
picker.addEventListener('change', () => app.config && app.setLanguage(picker.value, 'lang-picker'));
start();
