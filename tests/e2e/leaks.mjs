// tests/e2e/leaks.mjs — finding another provider's data in what a browser session received:
// every network response (URL, headers and body) and the page's own text.
//
// What counts as another provider's data: its AGB, its name, and its spend in every form
// the page or the API could write it: integer cents ("5656804"), the daemon's notation
// ("56568.04"), Dutch and English money ("56.568,04", "56568,04", "56,568.04") and whole
// euros ("56.568", "56,568"), each only where it is not part of a longer number. A spend
// that equals a figure the provider may see anyway (a national aggregate, one of its own
// amounts) proves nothing either way and is left out, and said so.

/** Every number (integer or decimal) anywhere in a JSON document, as cents-like integers. */
export function numbersIn(doc, out = new Set()) {
  if (typeof doc === 'number' && Number.isFinite(doc)) out.add(Math.round(doc));
  else if (Array.isArray(doc)) doc.forEach((v) => numbersIn(v, out));
  else if (doc && typeof doc === 'object') Object.values(doc).forEach((v) => numbersIn(v, out));
  return out;
}

function group(whole, sep) {
  return String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

/** The forms one amount of cents may take in a body or on the page. */
export function moneyForms(cents) {
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  const frac = String(abs % 100).padStart(2, '0');
  const rounded = Math.floor((abs + 50) / 100);
  const forms = new Set([String(abs), `${whole}.${frac}`, `${whole},${frac}`, `${group(whole, '.')},${frac}`,
                         `${group(whole, ',')}.${frac}`]);
  if (rounded >= 1000) {
    forms.add(group(rounded, '.'));
    forms.add(group(rounded, ','));
  }
  return [...forms];
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A pattern that finds `form` only where it is not part of a longer number. */
function standalone(form) {
  return new RegExp(`(?<![\\d.,])${escape(form)}(?![\\d]|[.,]\\d)`);
}

/**
 * The needles to look for.
 * @param {Array<{agb, name, spent_cents}>} others the other providers
 * @param {Set<number>} allowed amounts the provider may see anyway
 * @param {string|null} ownName the provider's own name: another provider of the same name
 *   cannot be told apart by it
 * @return {{needles: Array<{what, re}>, excused: Array<string>}}
 */
export function needlesFor(others, allowed, ownName = null) {
  const needles = [];
  const excused = [];
  for (const p of others) {
    needles.push({ what: `AGB ${p.agb}`, re: standalone(String(p.agb)) });
    if (p.name && ownName && String(p.name).toLowerCase() === String(ownName).toLowerCase()) {
      excused.push(`${p.agb}: its name "${p.name}" is the provider's own name too`);
    } else if (p.name) {
      needles.push({ what: `name "${p.name}" (${p.agb})`, re: new RegExp(escape(String(p.name)), 'i') });
      const json = JSON.stringify(String(p.name)).slice(1, -1);
      if (json !== p.name) needles.push({ what: `name "${p.name}" JSON-escaped`, re: new RegExp(escape(json), 'i') });
    }
    const cents = p.spent_cents;
    if (!Number.isInteger(cents) || cents === 0) continue;
    if (Math.abs(cents) < 10000) {
      excused.push(`${p.agb}: spend ${cents} cents is too small to tell from other numbers`);
      continue;
    }
    if (allowed.has(cents)) {
      excused.push(`${p.agb}: spend ${cents} cents equals a figure the provider sees anyway`);
      continue;
    }
    for (const form of moneyForms(cents)) {
      needles.push({ what: `spend of ${p.agb} as "${form}"`, re: standalone(form) });
    }
  }
  return { needles, excused };
}

/**
 * Look for the needles in every text.
 * @param {Array<{where: string, text: string}>} haystacks
 * @return {Array<{what, where, at}>} each hit with a little context
 */
export function findLeaks(haystacks, needles) {
  const hits = [];
  for (const { where, text } of haystacks) {
    for (const n of needles) {
      const m = n.re.exec(text);
      if (m) hits.push({ what: n.what, where, at: text.slice(Math.max(0, m.index - 40), m.index + 40) });
    }
  }
  return hits;
}

/**
 * Record every response of a browser context: URL, status, headers and body text.
 * @return {{collect: function(): Promise<Array<{where, text, unread}>>, supply: function}}
 *   collect(): the haystacks, once the session is over; `unread` says why a body that should
 *   have been there could not be read. supply(method, url, status, text): see above.
 */
export function recordResponses(context) {
  const pending = [];
  const supplied = new Map(); // "METHOD URL → STATUS" → [body text] (see supply())
  context.on('response', (r) => {
    pending.push((async () => {
      let body = '';
      let unread = null;
      try {
        // (a body the browser never finishes, such as a download's, must not stop the run)
        const read = r.body().then((b) => b.toString('utf8'));
        body = await Promise.race([read, new Promise((_, no) => { setTimeout(() => no(new Error('no body within 10 s')), 10000); })]);
      } catch (e) {
        // a 304 or a redirect has no body; any other body that cannot be read is reported
        if (r.status() !== 304 && (r.status() < 300 || r.status() >= 400)) unread = String(e).split('\n')[0];
      }
      let headers = {};
      try { headers = await r.allHeaders(); } catch { headers = r.headers(); }
      return { where: `${r.request().method()} ${r.url()} → ${r.status()}`, unread,
               text: `${r.url()}\n${JSON.stringify(headers)}\n${body}` };
    })());
  });
  /** All responses, once the session is over; a body supplied for an unread one fills it. */
  const collect = async () => (await Promise.all(pending)).map((h) => {
    const texts = h.unread ? supplied.get(h.where) : null;
    return texts?.length ? { ...h, unread: null, text: `${h.text}${texts.shift()}` } : h;
  });
  /**
   * The body of a response the test fetched itself (page.route + route.fetch): the browser
   * may not keep such a body for the inspector.
   */
  const supply = (method, url, status, text) => {
    const key = `${method} ${url} → ${status}`;
    if (!supplied.has(key)) supplied.set(key, []);
    supplied.get(key).push(text);
  };
  return { collect, supply };
}
