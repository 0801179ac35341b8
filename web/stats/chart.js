// One table of a quarter as a horizontal bar chart drawn here in SVG (no library), with
// the same numbers as an HTML table beside it. The SVG is hidden from screen readers;
// the table carries everything. A hidden cell ("<k") gets no bar and no number: only
// its label "<k" and a dashed outline, so nothing on the page suggests a value.
import { h } from '../src/dom.js';
import { change, formatChange, isShown } from './model.js';

const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

const ROW = 44;
const LABEL = 300;
const BARS = 420;
const VALUE = 150;

/** chart: from model.chartsOf; name(cell) -> label; title; t; prevName or null. */
export function chartFigure({ chart, name, title, t, prevName, id }) {
  const shown = chart.cells.map(([, v]) => v).filter(isShown);
  const max = Math.max(1, ...shown);
  const width = LABEL + BARS + VALUE;
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${chart.cells.length * ROW + 8}`, class: 'chart', 'aria-hidden': 'true', focusable: 'false',
    preserveAspectRatio: 'xMinYMin meet',
  });
  chart.cells.forEach(([cell, value], i) => {
    const y = i * ROW + 4;
    const mid = y + ROW / 2;
    svg.append(s('text', { x: LABEL - 12, y: mid, class: 'chart-label', 'text-anchor': 'end', 'dominant-baseline': 'middle' }, name(cell)));
    if (isShown(value)) {
      const w = Math.max(value > 0 ? 3 : 0, Math.round((value / max) * BARS));
      svg.append(s('rect', { x: LABEL, y: y + 6, width: w, height: ROW - 12, class: 'bar-shown', 'data-cell': cell }));
      const delta = chart.before ? formatChange(change(chart.before[cell], value), t.lang) : null;
      svg.append(s('text', { x: LABEL + w + 10, y: mid, class: 'chart-value', 'dominant-baseline': 'middle' },
        delta === null ? value.toLocaleString(t.lang) : `${value.toLocaleString(t.lang)} (${delta})`));
    } else {
      svg.append(s('rect', { x: LABEL, y: y + 6, width: 60, height: ROW - 12, class: 'bar-hidden', 'data-cell': cell }));
      svg.append(s('text', { x: LABEL + 30, y: mid, class: 'chart-hidden', 'text-anchor': 'middle', 'dominant-baseline': 'middle' }, String(value)));
    }
  });

  const caption = h('caption', {}, title);
  const head = h('tr', {}, h('th', { scope: 'col' }, t('table.cell')), h('th', { scope: 'col' }, t('table.count')),
    chart.before ? h('th', { scope: 'col' }, t('table.change', { quarter: prevName })) : null);
  const rows = chart.cells.map(([cell, value]) => {
    const delta = chart.before ? formatChange(change(chart.before[cell], value), t.lang) : undefined;
    return h('tr', { 'data-cell': cell },
      h('th', { scope: 'row' }, name(cell)),
      h('td', { class: isShown(value) ? 'num' : 'num hidden-cell' }, isShown(value) ? value.toLocaleString(t.lang) : hiddenText(value, t)),
      delta === undefined ? null : h('td', { class: 'num' }, delta ?? ['–', h('span', { class: 'visually-hidden' }, t('table.no_change'))]));
  });
  return h('figure', { class: 'chart-figure', id, 'data-table': chart.table, 'data-desk': chart.desk ?? '' },
    h('div', { class: 'chart-box' }, svg),
    h('table', { class: 'numbers' }, caption, h('thead', {}, head), h('tbody', {}, rows)));
}

/** "<5", with the words a screen reader needs. */
function hiddenText(value, t) {
  return [String(value), h('span', { class: 'visually-hidden' }, ` ${t('table.hidden_sr')}`)];
}
