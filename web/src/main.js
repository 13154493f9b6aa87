// The application shell: sign-in, a menu per role, hash routes.
import './style.css';
import { api, session } from './api.js';
import { h, clear, append } from './dom.js';
import { loginView } from './views/login.js';
import { keep, pending, restore } from './resume.js';
import { needsView, needFormView, importView, contractsView } from './views/buyer.js';
import { allNeedsView, proposalView, tendersView } from './views/officer.js';
import { tenderView } from './views/tender.js';
import { financeView } from './views/finance.js';
import { adminView } from './views/admin.js';
import { groupementsView } from './views/groupements.js';
import { splittingView } from './views/splitting.js';
import { contractView, ordersView } from './views/orders.js';
import { lotConsumptionView } from './views/framework.js';
import { realisedView } from './views/realised.js';
// Issue 19 items 9 and 10.
import { budgetCodesView, budgetExportsView } from './views/budget.js';
import { spaserView } from './views/spaser.js';
import { aidedProjectsView } from './views/aided_projects.js';

const menus = {
  buyer: [['#/besoins', 'Mes besoins'], ['#/besoins/nouveau', 'Nouveau besoin'], ['#/besoins/import', 'Import CSV'],
    ['#/marches', 'Mes marchés'], ['#/commandes', 'Mes commandes'], ['#/gains', 'Mes gains'], ['#/seuils', 'Seuils et saucissonnage']],
  officer: [['#/recensement', 'Recensement'], ['#/proposition', 'Proposition de mutualisation'], ['#/consultations', 'Consultations'],
    ['#/gains', 'Gains achats'], ['#/gains/realises', 'Gains réalisés'], ['#/commandes', 'Bons de commande'], ['#/seuils', 'Seuils et saucissonnage'], ['#/groupements', 'Groupements'],
    ['#/achats-responsables', 'Achats responsables (SPASER)']],
  finance: [['#/gains', 'Tableau de bord'], ['#/gains/realises', 'Gains réalisés'], ['#/marches', 'Marchés'], ['#/commandes', 'Bons de commande'], ['#/seuils', 'Seuils et saucissonnage'],
    ['#/projets-aides', 'Projets aidés (CGLLS)'],
    ['#/budget/codes', 'Codes budgétaires'], ['#/budget', 'Engagements et réalisé'], ['#/achats-responsables', 'Achats responsables (SPASER)']],
  admin: [['#/admin', 'Administration'], ['#/projets-aides', 'Projets aidés (CGLLS)'], ['#/budget/codes', 'Codes budgétaires']],
};
const home = { buyer: '#/besoins', officer: '#/recensement', finance: '#/gains', admin: '#/admin' };
const roleLabel = { buyer: 'acheteur', officer: 'coordonnateur des achats', finance: 'finances', admin: 'administrateur' };

const routes = [
  [/^#\/connexion/, () => loginView(start)],
  [/^#\/besoins\/nouveau$/, () => needFormView()],
  [/^#\/besoins\/import$/, () => importView()],
  [/^#\/besoins\/(\d+)$/, (m) => needFormView(Number(m[1]))],
  [/^#\/besoins(\?.*)?$/, () => needsView()],
  [/^#\/marches$/, () => contractsView()],
  [/^#\/marches\/(\d+)(\?.*)?$/, (m) => contractView(Number(m[1]))],
  [/^#\/commandes(\?.*)?$/, () => ordersView()],
  [/^#\/consultations\/(\d+)\/lots\/(\d+)$/, (m) => lotConsumptionView(Number(m[1]), Number(m[2]))],
  [/^#\/gains\/realises(\?.*)?$/, () => realisedView()],
  [/^#\/budget\/codes(\?.*)?$/, () => budgetCodesView()],
  [/^#\/budget(\?.*)?$/, () => budgetExportsView()],
  [/^#\/achats-responsables(\?.*)?$/, () => spaserView()],
  [/^#\/recensement$/, () => allNeedsView()],
  [/^#\/proposition$/, () => proposalView()],
  [/^#\/consultations$/, () => tendersView()],
  [/^#\/consultations\/(\d+)$/, (m) => tenderView(Number(m[1]))],
  [/^#\/gains(\?.*)?$/, () => financeView()],
  [/^#\/admin$/, () => adminView()],
  [/^#\/groupements$/, () => groupementsView()],
  [/^#\/seuils(\?.*)?$/, () => splittingView()],
  [/^#\/projets-aides$/, () => aidedProjectsView()],
];

function renderMenu(me) {
  const menu = clear(document.getElementById('menu'));
  const who = clear(document.getElementById('who'));
  if (!me) return;
  append(menu, h('ul', {}, (menus[me.role] || []).map(([href, text]) => h('li', {}, h('a', { href }, text)))));
  append(who, `${me.name} — ${roleLabel[me.role] || me.role} `,
    h('button', { type: 'button', class: 'link', onclick: () => { session.end(); location.hash = '#/connexion'; } }, 'Se déconnecter'));
}

// Each navigation renders only if it is still the latest: a slow view whose data
// arrives after the user moved on is dropped instead of piling onto the next page.
let navigation = 0;

async function route() {
  const current = ++navigation;
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
      let content;
      try {
        content = await view(m);
      } catch (error) {
        // A server that does not answer, or fails, may answer the next time: the page offers to try again.
        const retry = !error.status || error.status >= 500 || error.status === 429;
        content = h('div', {}, h('p', { class: 'error', role: 'alert' }, error.message),
          retry ? h('button', { type: 'button', class: 'secondary', onclick: () => route() }, 'Réessayer') : null);
      }
      if (current !== navigation) return;
      append(main, content);
      // Back after a lost session: what the user had typed on this page is given back.
      if (restore(main)) main.prepend(h('p', { class: 'notice', role: 'status', id: 'saisie-restauree' }, 'Votre saisie a été restaurée : vérifiez-la, puis enregistrez.'));
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
  // The page the session was lost on (the same user's only), else the role's home.
  location.hash = pending(me)?.hash || home[me.role] || '#/connexion';
}

window.addEventListener('canopee:session-lost', () => keep(session.me(), document.getElementById('contenu')));

window.addEventListener('hashchange', route);
route();
