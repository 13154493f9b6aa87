// The CSV and XLSX downloads of a report or a list: `path` is the API's query built from the
// filters applied (the address), never from a form being typed; a failure is said beside the
// buttons, with « Réessayer » when the server did not answer.
import { api } from './api.js';
import { h, button } from './dom.js';
import { showFailure } from './views/show_errors.js';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// The API's answer for `path` saved as a file (the token is a header: a plain link cannot carry it).
export async function saveFile(path, accept, name) {
  const response = await api('GET', path, undefined, { accept, raw: true });
  const link = h('a', { href: URL.createObjectURL(await response.blob()), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60000);
}

// « Télécharger (CSV) » and « Télécharger (XLSX) » of `path`, saved as `name`.csv / .xlsx.
export function downloadButtons(path, name, { id } = {}) {
  const error = h('span', { class: 'error', role: 'alert' });
  const get = (accept, extension) => async () => {
    error.replaceChildren();
    try {
      await saveFile(path, accept, `${name}.${extension}`);
    } catch (failure) {
      showFailure(error, failure, get(accept, extension));
    }
  };
  return h('div', { class: 'actions' },
    button('Télécharger (CSV)', get('text/csv', 'csv'), { class: 'secondary', id: id ? `${id}-csv` : null }),
    button('Télécharger (XLSX)', get(XLSX, 'xlsx'), { class: 'secondary', id: id ? `${id}-xlsx` : null }), error);
}
