// The signals of the caseworker's desks, in memory: the inbox per desk first, then the
// stream's events. Each report's stored fields (GET /api/v1/reports/<id>) are fetched
// once it is seen and again after each event about it; a report that answers 404 (withdrawn,
// or moved off these desks) leaves the list.

const pageSize = 1000;
const parallel = 4;

export function createInbox({ api, desks, onChange, onRemove, onNew }) {
  const seq = Object.fromEntries(desks.map((d) => [d, 0]));
  const reports = new Map();
  let arrivals = 0;
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
      reports.delete(id);
      onRemove(id);
    } else {
      entry.error = answer.code;
      onChange(id);
    }
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
    if (!entry) {
      if (kind === 'withdrawn') return;
      arrivals += 1;
      entry = { id, arrival: arrivals, view: null, error: null };
      reports.set(id, entry);
      onChange(id);
    }
    refresh(id);
    if (live && kind === 'report') onNew(desk, id);
  }

  /** Reads every desk's inbox from its last seq to the end. */
  async function load() {
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
    get: (id) => reports.get(id),
    after: () => ({ ...seq }),
  };
}
