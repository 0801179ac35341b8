// Optional browser notifications for new signals. A notice names only the desk ("New
// signal for Care services"), never anything from the report: it may show on a locked
// screen or be read out.

export function notifier() {
  let wanted = false;
  const supported = typeof Notification !== 'undefined';
  return {
    supported,
    get enabled() {
      return wanted && supported && Notification.permission === 'granted';
    },
    get blocked() {
      return supported && Notification.permission === 'denied';
    },
    async set(on) {
      wanted = on;
      if (on && supported && Notification.permission === 'default') await Notification.requestPermission();
      return this.enabled;
    },
    show(title, desk) {
      if (!this.enabled) return;
      try {
        new Notification(title, { tag: `signaal-${desk}` }); // eslint-disable-line no-new
      } catch {
        // some browsers allow notices only from a service worker; the page's live line still says it
      }
    },
  };
}
