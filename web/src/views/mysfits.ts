/** The home page: every mysfit in a grid, with the workshop's alignment filters. */
import { FILTER_VALUES, type FilterName } from '../../../shared/contract';
import type { Filter, Mysfit } from '../api';
import { currentRoute, navigate, type App } from '../app';
import { h, messageBox, picture } from '../dom';
import type { Visit } from '../navigation';
import { likeButton } from './likeButton';
import { alignment } from '../alignment';

// The API's filters and values (shared/contract.ts), with the words the page shows for each.
const FILTERS: Array<{ group: string; filter: FilterName; values: readonly string[] }> = [
  { group: 'Good / Evil', filter: 'GoodEvil', values: FILTER_VALUES.GoodEvil },
  { group: 'Lawful / Chaotic', filter: 'LawChaos', values: FILTER_VALUES.LawChaos },
];

function filterFromQuery(query: URLSearchParams): Filter {
  const filter = query.get('filter');
  const value = query.get('value');
  const known = FILTERS.find((f) => f.filter === filter);
  return known && value && known.values.includes(value) ? { filter: known.filter, value } : undefined;
}

export function adoptionBadge(app: App, mysfit: Mysfit): HTMLElement | null {
  if (!mysfit.adopted) return null;
  return h('span', { class: 'badge adopted' }, app.adoptedByMe(mysfit.mysfitId) ? 'Adopted by you' : 'Adopted');
}

function card(app: App, visit: Visit, mysfit: Mysfit, report: (text: string) => void): HTMLElement {
  return h(
    'li',
    { class: 'card', 'data-mysfit-id': mysfit.mysfitId },
    h(
      'a',
      { href: `#/mysfits/${mysfit.mysfitId}`, class: 'card-link' },
      picture(mysfit.thumbImageUri, '', 'thumb'),
      h('h2', {}, mysfit.name),
    ),
    h('p', { class: 'species' }, mysfit.species),
    h(
      'p',
      { class: 'tags' },
      h('span', { class: 'tag', title: 'Alignment' }, alignment(mysfit.lawchaos, mysfit.goodevil)),
      adoptionBadge(app, mysfit),
    ),
    likeButton(app, visit, mysfit.mysfitId, mysfit.name, mysfit.likes, report),
  );
}

export async function mysfitsView(app: App, visit: Visit): Promise<void> {
  const { query } = currentRoute();
  const filter = filterFromQuery(query);
  const message = messageBox();
  const select = h('select', { id: 'filter', name: 'filter' }, h('option', { value: '' }, 'All mysfits'));
  for (const group of FILTERS) {
    select.append(
      h('optgroup', { label: group.group }, ...group.values.map((value) => h('option', { value: `${group.filter}:${value}` }, value))),
    );
  }
  select.value = filter ? `${filter.filter}:${filter.value}` : '';
  select.addEventListener('change', () => {
    const [name, value] = select.value.split(':');
    const chosen = FILTERS.find((f) => f.filter === name);
    if (chosen && value) app.clicks.track({ action: 'filter', filter: chosen.filter, value });
    navigate(name && value ? `#/?filter=${name}&value=${value}` : '#/');
  });
  const grid = h('ul', { class: 'grid', 'aria-busy': 'true' });
  visit.draw(
    h('h1', {}, 'Meet the Mysfits'),
    h(
      'form',
      { class: 'filters', onsubmit: (e: Event) => e.preventDefault() },
      h('label', { for: 'filter' }, 'Show'),
      select,
      h('button', { type: 'button', class: 'secondary', onclick: () => navigate('#/') }, 'View all'),
    ),
    message.element,
    grid,
  );
  try {
    const mysfits = await app.api.listMysfits(filter, visit.signal);
    if (!visit.current) return;
    grid.setAttribute('aria-busy', 'false');
    if (mysfits.length === 0) grid.append(h('li', { class: 'empty' }, 'No mysfit matches this filter.'));
    for (const mysfit of mysfits) grid.append(card(app, visit, mysfit, (text) => message.show(text)));
  } catch (error) {
    if (!visit.current) return;
    grid.setAttribute('aria-busy', 'false');
    message.show((error as Error).message);
  }
}
