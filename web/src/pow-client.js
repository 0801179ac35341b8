// Runs the proof-of-work worker. onProgress gets a fraction 0..1 that grows with the
// expected work (2^difficulty hashes) and never claims to be finished before it is.
export function solvePow(token, difficulty, onProgress) {
  return new Promise((resolve, reject) => {
    const worker = new Worker('pow-worker.js');
    const expected = 2 ** difficulty;
    worker.onmessage = (event) => {
      const { nonce, tried, error } = event.data;
      if (error) {
        worker.terminate();
        reject(new Error(error));
      } else if (nonce) {
        worker.terminate();
        onProgress(1);
        resolve(nonce);
      } else {
        onProgress(Math.min(0.99, 1 - Math.exp(-tried / expected)));
      }
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message || 'worker failed'));
    };
    worker.postMessage({ token, difficulty });
  });
}
