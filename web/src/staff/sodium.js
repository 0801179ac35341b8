// Staff pages load libsodium.js's sumo build: opening a locked key file needs
// crypto_pwhash (Argon2id), which the small build lacks. The phone page keeps the
// small build (src/sodium.js), so its first load does not grow.
let pending = null;

export function loadStaffSodium() {
  if (!pending) {
    pending = import('libsodium-wrappers-sumo').then(async (mod) => {
      const sodium = mod.default;
      await sodium.ready;
      return sodium;
    });
    pending.catch(() => {
      pending = null;
    });
  }
  return pending;
}
