// What survives a lost session (expired or revoked token): the page the user was on
// (its hash, with its filters) and what was typed in its form, kept in this tab's
// sessionStorage and given back after the next sign-in — to the same user only.
const KEY = 'canopee.resume';
const SKIPPED = new Set(['file', 'password', 'hidden', 'submit', 'button', 'reset']);

const controls = (root) => [...root.querySelectorAll('input, textarea, select')]
  .filter((c) => !SKIPPED.has(c.type) && !c.closest('dialog'));

export function keep(me, root) {
  const fields = controls(root).map((c) => ({ tag: c.tagName, type: c.type, value: c.value, checked: c.checked }));
  sessionStorage.setItem(KEY, JSON.stringify({ user: me?.id ?? null, hash: location.hash, fields }));
}

// The saved page for this user, or null (and a saved page of another user is forgotten).
export function pending(me) {
  const saved = JSON.parse(sessionStorage.getItem(KEY) || 'null');
  if (saved && saved.user !== me?.id) { sessionStorage.removeItem(KEY); return null; }
  return saved;
}

// Once the saved page is drawn again: its fields take back their values, in order, where
// the page has the same kind of field at the same place. Answers how many were restored.
export function restore(root) {
  const saved = JSON.parse(sessionStorage.getItem(KEY) || 'null');
  if (!saved || saved.hash !== location.hash) return 0;
  sessionStorage.removeItem(KEY);
  const now = controls(root);
  let restored = 0;
  saved.fields.forEach((f, i) => {
    const c = now[i];
    if (!c || c.tagName !== f.tag || c.type !== f.type) return;
    if (c.type === 'checkbox' || c.type === 'radio') {
      if (c.checked === f.checked) return;
      c.checked = f.checked;
    } else {
      if (c.value === f.value) return;
      c.value = f.value;
    }
    restored += 1;
    c.dispatchEvent(new Event('input', { bubbles: true }));
    c.dispatchEvent(new Event('change', { bubbles: true }));
  });
  return restored;
}
