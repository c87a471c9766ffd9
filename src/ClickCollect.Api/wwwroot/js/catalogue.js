// The catalogue search, shared by the patron pages and the staff pages.
//   GET /api/titles?q=&audience=&format=&pickupPointId=&page=  → { items, total, page, pageSize }
//   GET /api/pickup-points                                       → [{ id, kind, name, branchId, branchName }]
// The search lives in the address ("#/catalogue?q=zola&page=2"): back, reload and bookmarks work.
import { api, withQuery } from './api.js';
import { clear, el, field } from './dom.js';
import { bind } from './i18n.js';
import { loadPickupPoints } from './pickup-points.js';

const AUDIENCES = ['adult', 'youth', 'children'];
const FORMATS = ['book', 'largePrint', 'comics', 'dvd', 'cd', 'audiobook'];
const FILTERS = ['q', 'audience', 'format', 'pickupPointId'];

function choices(values, prefix, anyKey) {
  return [el('option', { value: '', i18n: anyKey })].concat(values.map((v) => el('option', { value: v, i18n: prefix + v })));
}

// hashBase: where this view lives, e.g. "#/catalogue". titleHash(id), when given, links each
// result to its title page (the patron pages: "#/titre/42").
export function catalogueView(hashBase, titleHash) {
  let ui = null;
  let latest = 0; // answers to an older search are dropped

  function render(main, params) {
    const q = el('input', { type: 'search', name: 'q', autocomplete: 'off', spellcheck: 'false' });
    const audience = el('select', { name: 'audience' }, choices(AUDIENCES, 'audience.', 'catalogue.anyAudience'));
    const format = el('select', { name: 'format' }, choices(FORMATS, 'format.', 'catalogue.anyFormat'));
    const pickup = el('select', { name: 'pickupPointId' }, el('option', { value: '', i18n: 'catalogue.anyPickupPoint' }));
    const form = el('form', { className: 'search-form', role: 'search', onSubmit: submit },
      field('catalogue-q', 'catalogue.q', q),
      el('div', { className: 'filters' },
        field('catalogue-audience', 'catalogue.audience', audience),
        field('catalogue-format', 'catalogue.format', format),
        field('catalogue-pickup', 'catalogue.pickupPoint', pickup)),
      el('button', { type: 'submit', className: 'primary', i18n: 'catalogue.search' }));
    ui = {
      root: el('section', { className: 'catalogue', 'data-state': 'loading' }),
      controls: { q: q, audience: audience, format: format, pickupPointId: pickup },
      status: el('p', { className: 'result-status', 'aria-live': 'polite', tabindex: '-1' }),
      results: el('ol', { className: 'results', i18nAttrs: { 'aria-label': 'catalogue.results' } }),
      paging: el('nav', { className: 'paging', i18nAttrs: { 'aria-label': 'catalogue.paging' } }),
    };
    clear(main).appendChild(ui.root);
    ui.root.appendChild(el('h1', { i18n: 'catalogue.title' }));
    ui.root.appendChild(el('p', { className: 'intro', i18n: 'catalogue.intro' }));
    [form, ui.status, ui.results, ui.paging].forEach((node) => ui.root.appendChild(node));

    loadPickupPoints().then((points) => fillPickupPoints(pickup, points, params.get('pickupPointId')));
    update(params);
  }

  function fillPickupPoints(select, points, selected) {
    const groups = {};
    points.forEach((point) => {
      const branch = point.branchName || '';
      if (!groups[branch]) groups[branch] = select.appendChild(el('optgroup', { label: branch }));
      const option = point.kind === 'bibliobusStop'
        ? el('option', { value: String(point.id), i18n: 'catalogue.bibliobusStop', args: { name: point.name } })
        : el('option', { value: String(point.id) }, point.name);
      groups[branch].appendChild(option);
    });
    if (selected) select.value = selected;
  }

  function update(params) {
    FILTERS.forEach((name) => { ui.controls[name].value = params.get(name) || ''; });
    const page = Math.max(1, parseInt(params.get('page'), 10) || 1);
    search(params, page);
  }

  function submit(event) {
    event.preventDefault();
    const params = {};
    FILTERS.forEach((name) => { params[name] = ui.controls[name].value.trim(); });
    go(params, false);
  }

  function go(params, focusResults) {
    const hash = withQuery(hashBase, params);
    if (focusResults) ui.status.focus();
    if (window.location.hash === hash) update(new URLSearchParams(hash.split('?')[1] || ''));
    else window.location.hash = hash;
  }

  async function search(params, page) {
    const request = ++latest;
    setState('loading');
    bind(ui.status, 'catalogue.loading');
    const query = {};
    FILTERS.forEach((name) => { query[name] = params.get(name); });
    query.page = page > 1 ? page : '';
    let answer;
    try {
      answer = await api(withQuery('/api/titles', query));
    } catch (error) {
      if (request !== latest) return;
      setState('error');
      clear(ui.results);
      clear(ui.paging);
      bind(ui.status, 'catalogue.error');
      return;
    }
    if (request !== latest) return;
    showResults(answer, query);
  }

  function showResults(answer, query) {
    const items = (answer && answer.items) || [];
    const total = answer && typeof answer.total === 'number' ? answer.total : items.length;
    setState(items.length ? 'results' : 'empty');
    bind(ui.status, items.length ? 'catalogue.count' : 'catalogue.none', { n: total });
    clear(ui.results);
    items.forEach((item) => ui.results.appendChild(titleCard(item, titleHash)));
    const pageSize = (answer && answer.pageSize) || items.length || 1;
    const page = (answer && answer.page) || 1;
    showPaging(page, Math.max(1, Math.ceil(total / pageSize)), query);
  }

  function showPaging(page, pages, query) {
    clear(ui.paging);
    if (pages <= 1) return;
    const to = (n) => () => {
      const params = Object.assign({}, query, { page: n > 1 ? n : '' });
      go(params, true);
    };
    ui.paging.appendChild(el('button', { type: 'button', i18n: 'catalogue.previous', disabled: page <= 1, onClick: to(page - 1) }));
    ui.paging.appendChild(el('span', { className: 'page-number', i18n: 'catalogue.page', args: { page: page, pages: pages } }));
    ui.paging.appendChild(el('button', { type: 'button', i18n: 'catalogue.next', disabled: page >= pages, onClick: to(page + 1) }));
  }

  function setState(state) {
    ui.root.setAttribute('data-state', state);
    ui.status.className = 'result-status' + (state === 'error' ? ' error' : '');
  }

  return { title: 'catalogue.title', render: render, update: update };
}

function titleCard(item, titleHash) {
  const authors = Array.isArray(item.authors) ? item.authors.join(', ') : item.authors || '';
  const published = [item.publisher, item.year].filter(Boolean).join(', ');
  const available = item.availableCopies || 0;
  return el('li', { className: 'title-card' },
    el('h2', { className: 'title-name' }, titleHash ? el('a', { href: titleHash(item.id) }, item.title || '') : item.title || ''),
    authors ? el('p', { className: 'authors' }, authors) : null,
    published ? el('p', { className: 'published' }, published) : null,
    el('p', { className: 'tags' },
      item.audience ? el('span', { className: 'tag', i18n: 'audience.' + item.audience, args: { fallback: item.audience } }) : null,
      item.format ? el('span', { className: 'tag', i18n: 'format.' + item.format, args: { fallback: item.format } }) : null),
    el('p', { className: 'availability ' + (available > 0 ? 'available' : 'unavailable'), i18n: 'catalogue.available', args: { n: available } }));
}
