// Quick exit: the button at the top of every screen, and the Escape key anywhere,
// replace this page with a neutral site. location.replace keeps this page out of the
// back button's way; it does not clear history (the help page says so).
let target = 'about:blank';

export function setQuickExitUrl(url) {
  if (typeof url === 'string' && /^https:\/\//.test(url)) target = url;
}

export function quickExit() {
  // Hide everything at once, so nothing stays on screen while the neutral site loads.
  document.title = '';
  document.body.replaceChildren();
  window.location.replace(target);
}

export function installQuickExit(button) {
  button.addEventListener('click', quickExit);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' || event.key === 'Esc') {
      event.preventDefault();
      quickExit();
    }
  });
}
