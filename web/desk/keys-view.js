// The desk keys panel: each desk key this tab has checked, with its fingerprint to
// compare out of band; keys that were refused, and why; and, for a holder, the prompt
// to make a desk's first key or to rotate it after a holder left.
import { h } from '../src/dom.js';
import { listNames } from '../src/format.js';
import { namer } from './names.js';

export function keysView(app, { onMakeKey, onGrant }) {
  const { t } = app;
  const name = namer(app);
  const me = app.session.staff;
  const desks = app.session.desks.map((desk) => {
    const info = app.deskInfo[desk];
    const keys = app.deskKeys.filter((k) => k.desk === desk);
    const current = info?.key_id ?? keys[keys.length - 1]?.keyId;
    const holders = info ? deskHolders(info, me) : [];
    const mayMake = info && holders.includes(me);
    let prompt = null;
    if (info && info.key_id === null && mayMake) prompt = { text: 'keys.init_prompt', button: 'keys.init' };
    else if (info?.rotate && mayMake) prompt = { text: 'keys.rotate_prompt', button: 'keys.rotate' };
    // Colleagues of the desk without its current key: a holder can give it (every key
    // of the desk this tab holds, so that older signals open for them too).
    const without = info && info.key_id && (info.holders ?? []).includes(me) ? (info.caseworkers ?? []).filter((id) => !(info.holders ?? []).includes(id)) : [];
    return h(
      'li',
      { class: 'desk-keys', 'data-desk': desk },
      h('h3', {}, name.desk(desk)),
      keys.length === 0 && !prompt ? h('p', { class: 'hint' }, t('keys.none')) : null,
      keys.length
        ? h(
            'ul',
            { class: 'key-list' },
            [...keys].reverse().map((k) =>
              h(
                'li',
                {},
                h('span', { class: 'visually-hidden' }, `${t('keys.fingerprint')}: `),
                h('code', { class: 'fingerprint', 'data-key-id': k.keyId }, k.fingerprint),
                ' ',
                h('span', { class: 'hint' }, `${t(k.keyId === current ? 'keys.current' : 'keys.older')}, ${t('keys.granted_by', { staff: k.by })}`),
              ),
            ),
          )
        : null,
      prompt
        ? h(
            'div',
            { class: 'prompt' },
            h('p', {}, t(prompt.text, { holders: listNames(holders, t) })),
            h('button', { type: 'button', class: 'primary', onclick: (e) => onMakeKey(desk, holders, e.currentTarget) }, t(prompt.button, { desk: name.desk(desk) })),
          )
        : null,
      without.length
        ? h(
            'div',
            { class: 'grants' },
            h('p', {}, t('keys.without', { names: listNames(without, t) })),
            without.map((id) =>
              h('button', { type: 'button', 'data-grant-to': id, onclick: (e) => onGrant(desk, id, e.currentTarget) }, t('keys.grant', { staff: id })),
            ),
          )
        : null,
    );
  });
  const refused = app.refusedKeys.map((r) =>
    h('p', { class: 'error' }, t('keys.refused', { desk: name.desk(r.desk), reason: t(`keys.refused.${r.code}`) })),
  );
  return h(
    'section',
    { class: 'keys', 'aria-labelledby': 'keys-title' },
    h('h2', { id: 'keys-title' }, t('keys.title')),
    h('p', { class: 'hint' }, t('keys.intro')),
    refused,
    h('ul', { class: 'desk-key-list' }, desks),
    h('p', { id: 'keys-status', role: 'status', class: 'hint', tabindex: '-1' }, app.keysMessage?.() ?? ''),
  );
}

/** Who gets a grant of a new key: the desk's holders who are still its caseworkers, and the maker. */
export function deskHolders(info, me) {
  const caseworkers = new Set(info.caseworkers ?? []);
  const holders = (info.holders ?? []).filter((id) => caseworkers.has(id) || id === me);
  return [...new Set(holders)].sort();
}
