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
    // Hearing back (section 7): the public reply keys sealed into the report, the
    // receipt code they come from, and whether she said she kept it. Off by default.
    reply: null,
    receipt: null,
    receiptKept: false,
  };
}

/** The steps of the flow, in order ('reply': whether she wants to hear back). */
export const steps = ['language', 'role', 'what', 'who', 'reply', 'review', 'done'];

export const whenChoices = ['today', 'yesterday', 'this_week', 'earlier'];
