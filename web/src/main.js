// The application shell: sign-in, a menu per role, hash routes.
import './style.css';
import { api, session } from './api.js';
import { h, clear, append } from './dom.js';
import { loginView } from './views/login.js';
import { needsView, needFormView, importView, contractsView } from './views/buyer.js';
import { allNeedsView, proposalView, tendersView } from './views/officer.js';
import { tenderView } from './views/tender.js';
import { financeView } from './views/finance.js';
import { adminView } from './views/admin.js';
import { groupementsView } from './views/groupements.js';

const menus = {
  buyer: [['#/besoins', 'Mes besoins'], ['#/besoins/nouveau', 'Nouveau besoin'], ['#/besoins/import', 'Import CSV'],
    ['#/marches', 'Mes marchés'], ['#/gains', 'Mes gains']],
  officer: [['#/recensement', 'Recensement'], ['#/proposition', 'Proposition de mutualisation'], ['#/consultations', 'Consultations'],
    ['#/gains', 'Gains achats'], ['#/groupements', 'Groupements']],
  finance: [['#/gains', 'Tableau de bord'], ['#/marches', 'Marchés']],
  admin: [['#/admin', 'Administration']],
};
const home = { buyer: '#/besoins', officer: '#/recensement', finance: '#/gains', admin: '#/admin' };
const roleLabel = { buyer: 'acheteur', officer: 'coordonnateur des achats', finance: 'finances', admin: 'administrateur' };

const routes = [
  [/^#\/connexion/, () => loginView(start)],
  [/^#\/besoins\/nouveau$/, () => needFormView()],
  [/^#\/besoins\/import$/, () => importView()],
  [/^#\/besoins\/(\d+)$/, (m) => needFormView(Number(m[1]))],
  [/^#\/besoins$/, () => needsView()],
  [/^#\/marches$/, () => contractsView()],
  [/^#\/recensement$/, () => allNeedsView()],
  [/^#\/proposition$/, () => proposalView()],
  [/^#\/consultations$/, () => tendersView()],
  [/^#\/consultations\/(\d+)$/, (m) => tenderView(Number(m[1]))],
  [/^#\/gains$/, () => financeView()],
  [/^#\/admin$/, () => adminView()],
  [/^#\/groupements$/, () => groupementsView()],
];

function renderMenu(me) {
  const menu = clear(document.getElementById('menu'));
  const who = clear(document.getElementById('who'));
  if (!me) return;
  append(menu, h('ul', {}, (menus[me.role] || []).map(([href, text]) => h('li', {}, h('a', { href }, text)))));
  append(who, `${me.name} — ${roleLabel[me.role] || me.role} `,
    h('button', { type: 'button', class: 'link', onclick: () => { session.end(); location.hash = '#/connexion'; } }, 'Se déconnecter'));
}

async function route() {
  const main = clear(document.getElementById('contenu'));
  const me = session.me();
  if (!session.token() || !me) {
    if (!location.hash.startsWith('#/connexion')) { location.hash = '#/connexion'; return; }
  }
  renderMenu(me);
  const hash = location.hash || (me ? home[me.role] : '#/connexion');
  for (const [pattern, view] of routes) {
    const m = hash.match(pattern);
    if (m) {
      try {
        append(main, await view(m));
      } catch (error) {
        append(main, h('p', { class: 'error', role: 'alert' }, error.message));
      }
      document.title = `Canopée — ${main.querySelector('h1')?.textContent || 'achats groupés'}`;
      return;
    }
  }
  if (me) location.hash = home[me.role];
}

async function start(token) {
  session.save(token);
  const me = await api('GET', '/v1/me');
  session.saveMe(me);
  location.hash = home[me.role] || '#/connexion';
}

window.addEventListener('hashchange', route);
route();
