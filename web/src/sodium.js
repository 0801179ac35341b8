// libsodium (WebAssembly) is loaded only when the reporter starts writing, so the
// first screen appears fast; the import is split into its own file by the build.
let pending = null;

export function loadSodium() {
  if (!pending) {
    pending = import('libsodium-wrappers').then(async (mod) => {
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
