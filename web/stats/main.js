// The dashboard at /stats/: a coordinator opens their staff key file (memory only),
// signs in, picks a range of quarters and sees each frozen quarter's tables as bar
// charts with tables beside them, the change from the quarter before where both counts
// are shown, and a CSV download (a Blob link). Nothing is stored in the browser.
import { h } from '../src/dom.js';
import { categoryName, deskName } from '../src/config.js';
import { staffShell } from '../src/staff/page-shell.js';
import { errorText } from '../src/staff/texts.js';
import { chartFigure } from './chart.js';
import { chartsOf, defaultRange, kOf, previousOf, quarterChoices, quarterIndex } from './model.js';

let app = fresh(null);

function fresh(t) {
  const range = defaultRange(new Date());
  return { t, api: null, session: null, config: null, range, answer: null, csvUrl: null, message: null, openMessage: null };
}

// The dashboard needs only the sign-in: the shell wipes the key at once, whatever the outcome.
const shell = staffShell({
  role: 'coordinator',
  keepKey: false,
  app: () => app,
  reset: (t) => (app = fresh(t)),
  async signedIn({ api, session }) {
    Object.assign(app, { api, session, openMessage: null });
    const config = await api.config();
    app.config = config.ok ? config.data : null;
    showDashboard();
    await load();
  },
  ending({ csvUrl }) {
    if (csvUrl) URL.revokeObjectURL(csvUrl);
  },
  showSignedIn: () => showDashboard(),
});
const { main, renderChrome } = shell;

// ---- the dashboard ----------------------------------------------------------------------

function names() {
  const { t, config } = app;
  const desks = config?.desks ?? [];
  const categories = config?.categories ?? [];
  const own = (key, id) => (t.has(key) ? t(key) : id);
  return {
    desk: (id) => deskName(desks.find((d) => d.id === id) ?? { id }, t),
    cell(table, id) {
      if (table === 'category') return categoryName(categories.find((c) => c.id === id) ?? { id }, t);
      if (table === 'role') return own(`role.${id}`, id);
      return own(`cell.${table}.${id}`, id);
    },
  };
}

function showDashboard() {
  const { t } = app;
  renderChrome();
  main.dataset.screen = 'stats';
  const choices = quarterChoices(new Date());
  const select = (id, value) =>
    h('select', { id, name: id, class: 'picker' }, choices.map((q) => h('option', { value: q, selected: q === value }, q)));
  const from = select('range-from', app.range.from);
  const to = select('range-to', app.range.to);
  const rangeError = h('p', { id: 'range-error', class: 'error', role: 'alert' });
  const form = h(
    'form',
    {
      class: 'range', novalidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        if (quarterIndex(from.value) > quarterIndex(to.value)) {
          rangeError.textContent = t('range.order');
          from.focus();
          return;
        }
        rangeError.textContent = '';
        app.range = { from: from.value, to: to.value };
        load();
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'range-from' }, t('range.from')), from),
    h('div', { class: 'field' }, h('label', { for: 'range-to' }, t('range.to')), to),
    h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, t('range.show'))),
    rangeError,
  );
  main.replaceChildren(
    h('h1', { tabindex: '-1', id: 'stats-title' }, t('stats.title')),
    h('p', { class: 'intro' }, t('stats.intro')),
    form,
    h('div', { id: 'answer-region' }),
  );
  renderAnswer();
  main.querySelector('h1').focus();
}

async function load() {
  const { api, range, session } = app;
  app.message = () => app.t('stats.loading');
  renderAnswer();
  const query = `from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`;
  const [answer, csv] = await Promise.all([api.get(`stats?${query}`), fetchCsv(api, query)]);
  if (app.session !== session) return;
  if (app.csvUrl) URL.revokeObjectURL(app.csvUrl);
  app.csvUrl = null;
  if (!answer.ok) {
    app.answer = null;
    app.message = () => errorText(app.t, answer.code);
  } else {
    app.answer = answer.data;
    app.message = null;
    // The CSV lives only in this tab's memory, as a Blob behind a link.
    if (csv) app.csvUrl = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  }
  renderAnswer();
}

/** The CSV of the same range (PROTOCOL.md section 8), or null. */
async function fetchCsv(api, query) {
  try {
    const r = await fetch(new URL(`../api/v1/stats?${query}&format=csv`, location.href), {
      cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer', headers: { Authorization: `Bearer ${api.token()}` },
    });
    return r.ok ? await r.text() : null;
  } catch {
    return null;
  }
}

function renderAnswer() {
  const target = document.getElementById('answer-region');
  if (!target) return;
  const { t, answer, range } = app;
  if (app.message) {
    target.replaceChildren(h('p', { class: 'note', role: 'status' }, app.message()));
    return;
  }
  if (!answer) {
    target.replaceChildren();
    return;
  }
  const n = names();
  const quarters = answer.quarters ?? [];
  const notYet = answer.not_yet ?? [];
  const parts = [
    h('div', { class: 'answer-head' },
      h('p', { class: 'rule' }, t('stats.rule', { k: answer.k })),
      app.csvUrl
        ? h('a', { id: 'csv-link', class: 'button', href: app.csvUrl, download: `signaal-stats-${range.from}-${range.to}.csv` }, t('stats.csv'))
        : null),
    notYet.length ? h('p', { id: 'not-yet', class: 'note' }, t('stats.not_yet', { quarters: notYet.join(', ') })) : null,
    quarters.length === 0 ? h('p', { class: 'note' }, t('stats.none')) : null,
    ...quarters.map((q) => quarterSection(q, n)),
  ];
  target.replaceChildren(...parts.filter(Boolean));
}

function quarterSection(quarter, n) {
  const { t, answer } = app;
  const k = kOf(answer, quarter);
  const prev = previousOf(answer, quarter);
  const shown = (v) => (typeof v === 'number' ? v.toLocaleString(t.lang) : String(v));
  const charts = chartsOf(answer, quarter);
  const titleOf = (chart) =>
    chart.desk === null
      ? t(`table.${chart.table}`, { n: shown(chart.population) })
      : t(`table.${chart.table}`, { n: shown(chart.population), desk: n.desk(chart.desk) });
  let lastDesk = null;
  const parts = [];
  charts.forEach((chart, i) => {
    if (chart.desk !== null && chart.desk !== lastDesk) {
      lastDesk = chart.desk;
      parts.push(h('h3', { class: 'desk-title' }, t('stats.desk', { desk: n.desk(chart.desk), routed: shown(chart.population) })));
    }
    parts.push(chartFigure({
      chart, t, prevName: prev?.quarter, id: `q-${quarter.quarter}-${chart.desk ?? 'all'}-${chart.table}-${i}`,
      name: (cell) => n.cell(chart.table, cell), title: titleOf(chart),
    }));
  });
  return h('section', { class: 'quarter', 'data-quarter': quarter.quarter, 'aria-labelledby': `title-${quarter.quarter}` },
    h('h2', { id: `title-${quarter.quarter}` }, t('stats.quarter', { quarter: quarter.quarter, n: shown(quarter.n) })),
    quarter.k !== undefined && quarter.k !== answer.k ? h('p', { class: 'hint' }, t('stats.own_k', { k })) : null,
    prev ? h('p', { class: 'hint' }, t('stats.change_from', { quarter: prev.quarter })) : null,
    parts);
}

// ---- boot -----------------------------------------------------------------------------

shell.start();
