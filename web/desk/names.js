// Names of desks, categories, roles and statuses in the page's language.
import { categoryName, deskName } from '../src/config.js';

export function namer(app) {
  const { t } = app;
  const desks = app.config?.desks ?? [];
  const categories = app.config?.categories ?? [];
  const fromId = (key, id) => (t.has(key) ? t(key) : id);
  return {
    desk: (id) => deskName(desks.find((d) => d.id === id) ?? { id }, t),
    category: (id) => categoryName(categories.find((c) => c.id === id) ?? { id }, t),
    role: (id) => fromId(`role.${id}`, id),
    status: (id) => fromId(`status.${id}`, id),
    when: (id) => fromId(`when.${id}`, id),
  };
}

export const statuses = ['new', 'acknowledged', 'in_progress', 'closed'];
