// The dashboard's arithmetic, kept apart from the page so the unit test can check it:
// quarter names, the range picker's choices, and the change between two quarters,
// which exists only where both counts are shown (never across a hidden "<k" cell).

/** 'YYYY-Qn' of a Date, in UTC (the server's quarters are UTC days). */
export function quarterOf(date) {
  return `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}

/** 'YYYY-Qn' -> an index that counts quarters (year * 4 + n - 1), or null. */
export function quarterIndex(name) {
  const m = /^(\d{4})-Q([1-4])$/.exec(name ?? '');
  return m ? Number(m[1]) * 4 + Number(m[2]) - 1 : null;
}

export function quarterName(index) {
  return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
}

export function shiftQuarter(name, by) {
  return quarterName(quarterIndex(name) + by);
}

/** The quarters offered in the picker, oldest first: `years` back up to today's quarter. */
export function quarterChoices(today, years = 5) {
  const last = quarterIndex(quarterOf(today));
  const first = (today.getUTCFullYear() - years) * 4;
  const out = [];
  for (let i = first; i <= last; i++) out.push(quarterName(i));
  return out;
}

/** The default range: the four closed quarters before today's. */
export function defaultRange(today) {
  const current = quarterOf(today);
  return { from: shiftQuarter(current, -4), to: shiftQuarter(current, -1) };
}

/** A shown count is a number; a hidden cell is the string "<k". */
export const isShown = (value) => typeof value === 'number' && Number.isFinite(value);

/** The change from `before` to `now`, or null unless both are shown. */
export function change(before, now) {
  return isShown(before) && isShown(now) ? now - before : null;
}

/** The quarter object in `answer` that comes right before `quarter` in the calendar. */
export function previousOf(answer, quarter) {
  const wanted = shiftQuarter(quarter.quarter, -1);
  return (answer.quarters ?? []).find((q) => q.quarter === wanted) ?? null;
}

/** The k a quarter was suppressed with (its own, else the answer's). */
export function kOf(answer, quarter) {
  return quarter.k ?? answer.k;
}

/**
 * The charts of one quarter, in the answer's order: the four quarter-wide tables of
 * population `n`, then per desk its two tables of population `routed`. Each:
 * {id, desk, population, cells: [[cell, value]], before: {cell: value} | null}.
 */
export function chartsOf(answer, quarter) {
  const prev = previousOf(answer, quarter);
  const charts = [];
  for (const [table, cells] of Object.entries(quarter.tables ?? {})) {
    charts.push({
      table, desk: null, population: quarter.n, cells: Object.entries(cells),
      before: prev ? prev.tables?.[table] ?? {} : null,
    });
  }
  for (const [desk, d] of Object.entries(quarter.desks ?? {})) {
    for (const table of ['days_to_ack', 'closed']) {
      if (!d[table]) continue;
      charts.push({
        table, desk, population: d.routed, cells: Object.entries(d[table]),
        before: prev ? prev.desks?.[desk]?.[table] ?? {} : null,
      });
    }
  }
  return charts;
}

/** '+3', '−2' (a real minus), '0'; null stays null. */
export function formatChange(delta, locale) {
  if (delta === null) return null;
  const n = Math.abs(delta).toLocaleString(locale);
  return delta > 0 ? `+${n}` : delta < 0 ? `\u2212${n}` : '0';
}
