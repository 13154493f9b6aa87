// The application shell: sign-in, a menu per role, hash routes.
import './style.css';
import { api, session, resumeSession, signOut } from './api.js';
import { h, clear, append } from './dom.js';
import { hashPath } from './address.js';
import { showPendingToast } from './toast.js';
import { retryable } from './views/show_errors.js';
import { loginView, passwordLinkView } from './views/login.js';
import { keep, pending, restore } from './resume.js';
import { needsView, needFormView, contractsView } from './views/buyer.js';
import { importView } from './views/needs_import.js';
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
// Issue 20 item 10.
import { notificationsView } from './views/notifications.js';
import { bellLink, refreshBell } from './bell.js';

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
  [/^#\/connexion/, () => loginView(start, startSession)],
  [/^#\/mot-de-passe/, () => passwordLinkView()],
  [/^#\/besoins\/nouveau(\?.*)?$/, () => needFormView()],
  [/^#\/besoins\/import$/, () => importView()],
  [/^#\/besoins\/(\d+)$/, (m) => needFormView(Number(m[1]))],
  [/^#\/besoins(\?.*)?$/, () => needsView()],
  [/^#\/marches(\?.*)?$/, () => contractsView()],
  [/^#\/marches\/(\d+)(\?.*)?$/, (m) => contractView(Number(m[1]))],
  [/^#\/commandes(\?.*)?$/, () => ordersView()],
  [/^#\/consultations\/(\d+)\/lots\/(\d+)$/, (m) => lotConsumptionView(Number(m[1]), Number(m[2]))],
  [/^#\/gains\/realises(\?.*)?$/, () => realisedView()],
  [/^#\/budget\/codes(\?.*)?$/, () => budgetCodesView()],
  [/^#\/budget(\?.*)?$/, () => budgetExportsView()],
  [/^#\/achats-responsables(\?.*)?$/, () => spaserView()],
  [/^#\/recensement(\?.*)?$/, () => allNeedsView()],
  [/^#\/proposition$/, () => proposalView()],
  [/^#\/consultations(\?.*)?$/, () => tendersView()],
  [/^#\/consultations\/(\d+)$/, (m) => tenderView(Number(m[1]))],
  [/^#\/gains(\?.*)?$/, () => financeView()],
  [/^#\/admin$/, () => adminView()],
  [/^#\/groupements$/, () => groupementsView()],
  [/^#\/seuils(\?.*)?$/, () => splittingView()],
  [/^#\/projets-aides$/, () => aidedProjectsView()],
  [/^#\/notifications(\?.*)?$/, () => notificationsView()],
];

// The menu item of the page shown: the longest one whose route starts the address
// ("#/besoins/12" is under « Mes besoins », "#/gains/realises" under « Gains réalisés »).
export function activeItem(items, hash) {
  const path = hashPath(hash);
  let best = null;
  for (const [href] of items) {
    if ((path === href || path.startsWith(`${href}/`)) && (!best || href.length > best.length)) best = href;
  }
  return best;
}

function renderMenu(me) {
  const menu = clear(document.getElementById('menu'));
  const who = clear(document.getElementById('who'));
  if (!me) return;
  const items = menus[me.role] || [];
  const active = activeItem(items, location.hash || home[me.role]);
  append(menu, h('ul', {}, items.map(([href, text]) => h('li', {}, h('a', { href, 'aria-current': href === active ? 'page' : null }, text)))));
  append(who, bellLink(), ` ${me.name} — ${roleLabel[me.role] || me.role} `,
    h('button', { type: 'button', class: 'link', onclick: async () => { await signOut(); location.hash = '#/connexion'; } }, 'Se déconnecter'));
  refreshBell();
}

// Each navigation renders only if it is still the latest: a slow view whose data
// arrives after the user moved on is dropped instead of piling onto the next page.
let navigation = 0;

// While a view loads, the main content is busy (aria-busy) and, past a blink, says so.
function loading(main) {
  main.setAttribute('aria-busy', 'true');
  const timer = setTimeout(() => append(main, h('p', { class: 'loading', role: 'status' }, 'Chargement…')), 150);
  // Stops the announcement; `finished` when this view is the one shown (not overtaken by another).
  return (finished) => {
    clearTimeout(timer);
    if (finished) { clear(main); main.removeAttribute('aria-busy'); }
  };
}

// After a navigation the focus goes to the new page's title, so that a keyboard or
// screen-reader user starts reading there (the sign-in view puts it on its field).
function focusTitle(main) {
  const title = main.querySelector('h1');
  if (!title || (main.contains(document.activeElement) && document.activeElement !== main)) return;
  title.tabIndex = -1;
  title.focus();
}

async function route() {
  const current = ++navigation;
  const main = clear(document.getElementById('contenu'));
  let me = session.me();
  if (!session.signedIn() || !me) {
    // Another tab may have signed in: its cookie session serves this tab too.
    me = await resumeSession();
    if (current !== navigation) return;
    const open = location.hash.startsWith('#/connexion') || location.hash.startsWith('#/mot-de-passe');
    if (!me && !open) { location.hash = '#/connexion'; return; }
  }
  renderMenu(me);
  const hash = location.hash || (me ? home[me.role] : '#/connexion');
  for (const [pattern, view] of routes) {
    const m = hash.match(pattern);
    if (m) {
      const done = loading(main);
      let content;
      try {
        content = await view(m);
      } catch (error) {
        // A server that does not answer, or fails, may answer the next time: the page offers to try again.
        const retry = retryable(error);
        content = h('div', {}, h('h1', {}, 'Page indisponible'), h('p', { class: 'error', role: 'alert' }, error.message),
          retry ? h('button', { type: 'button', class: 'secondary', onclick: () => route() }, 'Réessayer') : null);
      }
      done(current === navigation);
      if (current !== navigation) return;
      append(main, content);
      showPendingToast();
      // Back after a lost session: what the user had typed on this page is given back.
      if (restore(main)) main.prepend(h('p', { class: 'notice', role: 'status', id: 'saisie-restauree' }, 'Votre saisie a été restaurée : vérifiez-la, puis enregistrez.'));
      document.title = `Canopée — ${main.querySelector('h1')?.textContent || 'achats groupés'}`;
      focusTitle(main);
      return;
    }
  }
  if (me) location.hash = home[me.role];
}

// The skip link moves the focus to the main content without touching the address: a
// hash change would route again and drop what the page holds (a form being filled).
document.querySelector('a.skip')?.addEventListener('click', (event) => {
  event.preventDefault();
  const main = document.getElementById('contenu');
  main.focus();
  main.scrollIntoView();
});

async function start(token) {
  session.save(token);
  const me = await api('GET', '/v1/me');
  session.saveMe(me);
  // The page the session was lost on (the same user's only), else the role's home.
  location.hash = pending(me)?.hash || home[me.role] || '#/connexion';
}

// After an e-mail and password sign-in (views/login.js): the cookie is set, the CSRF token kept.
function startSession(signedIn) {
  session.saveCookieSession(signedIn.csrf_token);
  session.saveMe(signedIn.user);
  location.hash = pending(signedIn.user)?.hash || home[signedIn.user.role] || '#/connexion';
}

window.addEventListener('canopee:session-lost', () => keep(session.me(), document.getElementById('contenu')));

window.addEventListener('hashchange', route);
route();
