// The signals of the caseworker's desks, in memory: the inbox per desk first, then the
// stream's events. Each report's stored fields (GET /api/v1/reports/<id>) are fetched
// once it is seen and again after each event about it; a report that answers 404 (moved
// off these desks) leaves the list, and a `withdrawn` event drops it at once, with all
// this tab holds of it. A `message` event after the first load marks the report.

const pageSize = 1000;
const parallel = 4;

export function createInbox({ api, desks, onChange, onRemove, onNew, onMessage = () => {}, onConsent = () => {} }) {
  const seq = Object.fromEntries(desks.map((d) => [d, 0]));
  const reports = new Map();
  let arrivals = 0;
  let loaded = false;
  const queue = [];
  const queued = new Set();
  let running = 0;

  function pump() {
    while (running < parallel && queue.length) {
      const id = queue.shift();
      queued.delete(id);
      running += 1;
      fetchReport(id).finally(() => {
        running -= 1;
        pump();
      });
    }
  }

  async function fetchReport(id) {
    const answer = await api.report(id);
    const entry = reports.get(id);
    if (!entry) return;
    if (answer.ok) {
      entry.view = answer.data;
      entry.error = null;
      onChange(id);
    } else if (answer.status === 404) {
      drop(id, 'gone');
    } else {
      entry.error = answer.code;
      onChange(id);
    }
  }

  /** Forgets a report: its entry, its fetched fields, any fetch still queued for it. */
  function drop(id, reason) {
    if (!reports.delete(id)) return;
    if (queued.delete(id)) queue.splice(queue.indexOf(id), 1);
    onRemove(id, reason);
  }

  function refresh(id) {
    if (queued.has(id)) return;
    queued.add(id);
    queue.push(id);
    pump();
  }

  /** One event of the inbox or the stream; an event at or below the desk's seq is old news. */
  function apply(event, live) {
    const { desk, report_id: id, kind } = event ?? {};
    if (!(desk in seq) || typeof id !== 'string' || !Number.isSafeInteger(event.seq)) return;
    if (event.seq <= seq[desk]) return;
    seq[desk] = event.seq;
    let entry = reports.get(id);
    if (kind === 'withdrawn') {
      // Also a desk she removed by stepped consent: this desk may no longer read it. When
      // another of the caller's desks still held it, it is fetched afresh from nothing.
      const others = (entry?.view?.desks ?? []).filter((d) => d !== desk && d in seq);
      drop(id, 'withdrawn');
      if (others.length === 0) return;
      entry = null;
    }
    if (!entry) {
      arrivals += 1;
      entry = { id, arrival: arrivals, view: null, error: null, newMessage: false };
      reports.set(id, entry);
      onChange(id);
    }
    refresh(id);
    if (live && kind === 'report') onNew(desk, id);
    // Messages in the first load are not news: this tab cannot know which were read.
    if (kind === 'message' && loaded) {
      entry.newMessage = true;
      onMessage(id, desk, live);
    }
    // The reporter changed who may read it, or a colleague forwarded it: the open view is stale.
    if (kind === 'consent' && loaded) onConsent(id, desk, live);
  }

  /** Reads every desk's inbox from its last seq to the end. */
  async function load() {
    try {
      for (const desk of desks) {
        for (;;) {
          const answer = await api.inbox(desk, seq[desk], pageSize);
          if (!answer.ok) return answer;
          const events = Array.isArray(answer.data?.events) ? answer.data.events : [];
          for (const e of events) apply(e, false);
          if (events.length < pageSize) break;
        }
      }
      return { ok: true };
    } finally {
      loaded = true;
    }
  }

  /** Newest first: by received day, then by when this tab first saw it. */
  function sorted() {
    return [...reports.values()].sort((a, b) => {
      const da = a.view?.received_day ?? '9999-99-99';
      const db = b.view?.received_day ?? '9999-99-99';
      if (da !== db) return da < db ? 1 : -1;
      return b.arrival - a.arrival;
    });
  }

  return {
    load,
    apply,
    refresh,
    sorted,
    drop,
    get: (id) => reports.get(id),
    after: () => ({ ...seq }),
  };
}
