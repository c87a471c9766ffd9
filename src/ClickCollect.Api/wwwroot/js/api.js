// fetch() against /api with the page's sign-in cookie. Failures become an ApiError carrying the
// RFC 9457 problem the server answered (title, detail, code, errors), or status 0 when the
// server could not be reached at all.
import { el } from './dom.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && problem.title) || 'HTTP ' + status);
    this.status = status;
    this.problem = problem || {};
  }
}

export async function api(path, options) {
  const o = options || {};
  const headers = { Accept: 'application/json, application/problem+json' };
  if (o.body !== undefined) headers['Content-Type'] = 'application/json';
  if (o.idempotencyKey) headers['Idempotency-Key'] = o.idempotencyKey;
  // Staff pages say which page a call comes from, for the access log to patron records (issue 16):
  // the pages send no Referer (Referrer-Policy: no-referrer), and a Referer would lack the #/route anyway.
  if (window.location.pathname.indexOf('/staff/') === 0) headers['X-Staff-Page'] = window.location.pathname + window.location.hash;
  let response;
  try {
    response = await fetch(path, {
      method: o.method || 'GET',
      headers: headers,
      body: o.body !== undefined ? JSON.stringify(o.body) : undefined,
      credentials: 'same-origin', // older browsers default to "omit"
    });
  } catch (e) {
    throw new ApiError(0, null);
  }
  const type = response.headers.get('Content-Type') || '';
  const data = type.indexOf('json') >= 0 ? await response.json().catch(() => null) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// A POST that is safe to retry (POST /api/holds, /api/appointments honour Idempotency-Key): after a
// network failure the same body goes again with the same key, so the server replays its first answer
// instead of reserving twice. Any answer, or another body, takes a new key: a refusal (409) is
// stored with its key too, and the patron's next try (another slot) is a new request.
export function idempotentPost(path) {
  let unanswered = null; // { body, key } of an attempt the server may or may not have received
  return async function post(body) {
    const text = JSON.stringify(body);
    const key = unanswered && unanswered.body === text ? unanswered.key : newKey();
    unanswered = { body: text, key: key };
    try {
      const answer = await api(path, { method: 'POST', body: body, idempotencyKey: key });
      unanswered = null;
      return answer;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 0) unanswered = null;
      throw error;
    }
  };
}

function newKey() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
  return 'k-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
}

// "/api/titles" + { q: 'zola', page: 2, format: '' } → "/api/titles?q=zola&page=2" (empty values left out)
export function withQuery(path, params) {
  const query = new URLSearchParams();
  Object.keys(params).forEach((name) => {
    const value = params[name];
    if (value !== undefined && value !== null && value !== '') query.set(name, value);
  });
  const text = query.toString();
  return text ? path + '?' + text : path;
}

// The message for a failed call, as elements: the problem's title and detail (the server writes
// them in French; known codes are translated when the page is in another language), the
// per-field messages, and when an account is locked, until when.
export function problemMessage(error) {
  if (!(error instanceof ApiError)) console.error(error); // a bug of the page, not an answer: the tests read the log
  if (!(error instanceof ApiError) || error.status === 0) {
    return [el('strong', { i18n: error instanceof ApiError ? 'error.network' : 'error.unexpected' })];
  }
  const problem = error.problem;
  const code = problem.code || (problem.errors ? 'invalid_request' : null);
  if (!problem.title) return [el('strong', { i18n: 'error.unexpected' })];

  const parts = [el('strong', code ? { i18n: 'problem.' + code, args: { fallback: problem.title } } : {}, code ? null : problem.title)];
  if (problem.detail) {
    parts.push(' ', el('span', code ? { i18n: 'problem.' + code + '.detail', args: { fallback: problem.detail } } : {},
      code ? null : problem.detail));
  }
  if (problem.lockedUntil) parts.push(' ', el('span', { i18n: 'error.lockedUntil', args: { at: { time: problem.lockedUntil } } }));
  const fields = problem.errors ? Object.keys(problem.errors) : [];
  if (fields.length > 0) {
    parts.push(el('ul', {}, fields.map((name) => el('li', {}, [].concat(problem.errors[name]).join(' ')))));
  }
  return parts;
}

