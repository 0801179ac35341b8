// The shell both staff pages share (the inbox at /desk/, the figures at /stats/): the bar
// (title, language, who is signed in, sign out), the screen that opens a staff key file
// in memory and signs in, the end of a session, and the start. A page names the role it
// serves and brings its own state and screens.
import { h } from '../dom.js';
import { openStaffKey, wipeKey } from './keyfile.js';
import { openView } from './open-view.js';
import { signIn } from './signin.js';
import { loadStaffSodium } from './sodium.js';
import { staffApi } from './api.js';
import { deskLanguages, firstLanguage, loadTexts } from './texts.js';

const nextPaint = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

/**
 * role: 'caseworker' or 'coordinator' (the other is refused with error.<other role>);
 * keepKey: whether the opened staff key stays in memory after sign-in (the inbox needs it
 * for desk keys; the figures wipe it at once);
 * app(): the page's state now ({t, session, api, openMessage, …});
 * reset(t): the page starts afresh in language t, and returns its new state;
 * signedIn({sodium, api, key, session}): the page takes over (key is null unless keepKey);
 * ending(app): the page lets go of what it holds (streams, keys, object URLs);
 * showSignedIn(): the page's screen after a change of language.
 */
export function staffShell({ role, keepKey, app, reset, signedIn, ending = () => {}, showSignedIn }) {
  const main = document.getElementById('main');
  const picker = document.getElementById('lang-picker');
  const pickerLabel = document.getElementById('lang-label');
  const signOutButton = document.getElementById('sign-out');
  const who = document.getElementById('who');
  const brand = document.getElementById('brand');

  function renderChrome() {
    const { t, session } = app();
    document.documentElement.lang = t.lang;
    document.title = t('app.title');
    brand.textContent = t('app.title');
    pickerLabel.textContent = t('bar.language');
    picker.replaceChildren(...deskLanguages.map((l) => h('option', { value: l.code, lang: l.code }, l.name)));
    picker.value = t.lang;
    signOutButton.textContent = t('bar.sign_out');
    signOutButton.hidden = !session;
    who.hidden = !session;
    who.textContent = session ? t('bar.signed_in_as', { staff: session.staff }) : '';
  }

  function showOpen({ focus = true } = {}) {
    renderChrome();
    main.dataset.screen = 'open';
    main.replaceChildren(openView(app(), { message: app().openMessage, onOpen: openAndSignIn }));
    if (focus) main.querySelector('h1')?.focus();
  }

  async function openAndSignIn({ text, passphrase, progress }) {
    progress('open.unlocking');
    await nextPaint(); // Argon2id holds the tab for a moment: let the line above show first.
    let sodium;
    try {
      sodium = await loadStaffSodium();
    } catch {
      return 'network';
    }
    const opened = openStaffKey(sodium, text, passphrase);
    if (!opened.ok) return opened.code;
    progress('open.signing_in');
    const api = staffApi({ onUnauthorized: () => endSession('open.ended') });
    const signed = await signIn(sodium, api, opened.key);
    if (!keepKey) wipeKey(opened.key);
    const refuse = async (code) => {
      if (keepKey) wipeKey(opened.key);
      return code;
    };
    if (!signed.ok) return refuse(signed.code);
    if (signed.session.role !== role) {
      await api.logout();
      return refuse(role === 'caseworker' ? 'coordinator' : 'caseworker');
    }
    await signedIn({ sodium, api, key: keepKey ? opened.key : null, session: signed.session });
    return null;
  }

  /** Ends the session: message is the open screen's note ('open.ended'), or null on sign-out. */
  async function endSession(message) {
    const before = app();
    if (!before.session) return;
    const { api, t } = before;
    ending(before);
    reset(t).openMessage = message;
    // The token is ended on the server too, unless the server already ended it.
    if (!message) await api?.logout();
    showOpen();
  }

  picker.addEventListener('change', async () => {
    let t;
    try {
      t = await loadTexts(picker.value);
    } catch {
      picker.value = app().t.lang;
      return;
    }
    app().t = t;
    if (app().session) showSignedIn();
    else showOpen({ focus: false });
    picker.focus();
  });
  signOutButton.addEventListener('click', () => endSession(null));

  async function start() {
    let t;
    try {
      t = await loadTexts(firstLanguage());
    } catch {
      main.replaceChildren(h('p', { class: 'error' }, 'This page could not load. Please try again.'));
      return;
    }
    reset(t);
    showOpen({ focus: false });
  }

  return { main, renderChrome, showOpen, endSession, start };
}
