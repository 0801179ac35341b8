// Step 1: who is reporting (PROTOCOL.md roles).
import { h } from '../dom.js';
import { stepHeader, radioGroup, navButtons, errorLine } from './common.js';

export function roleStep(app) {
  const { t, draft, config } = app;
  const error = errorLine();
  const roles = config.roles?.length ? config.roles : ['sex_worker', 'peer_expert'];
  return h(
    'section',
    { class: 'step' },
    stepHeader(app, 'role', 'role.title'),
    radioGroup({
      legend: t('role.legend'),
      name: 'role',
      options: roles.map((r) => ({
        value: r,
        label: t.has(`role.${r}`) ? t(`role.${r}`) : r,
        hint: t.has(`role.${r}.hint`) ? t(`role.${r}.hint`) : null,
      })),
      selected: draft.role,
      errorId: error.id,
      onChange: (r) => {
        draft.role = r;
        error.show('');
      },
    }),
    error,
    navButtons(app, {
      back: 'language',
      onNext: () => {
        if (!draft.role) return error.show(t('role.required'));
        app.go('what');
      },
    }),
  );
}
