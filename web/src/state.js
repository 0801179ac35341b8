// What the reporter has typed, in memory only: nothing is written to cookies or any
// web storage, so closing the page loses it, and a failed send never does.
export function emptyDraft(lang) {
  return {
    lang,
    role: null,
    category: null,
    text: '',
    when: null,
    where: '',
    consent: new Set(),
  };
}

/** The steps of the flow, in order. A later "follow-up" step slots in before review. */
export const steps = ['language', 'role', 'what', 'who', 'review', 'done'];

export const whenChoices = ['today', 'yesterday', 'this_week', 'earlier'];
