// web/dom.js — building the page's DOM: h() for HTML elements, svg() for SVG, timeEl()
// for a <time>. Everything goes through createElement and textContent (node.append of a
// string makes a text node): names and texts from the data never become markup, and the
// Content-Security-Policy forbids style attributes, so there are none.

import { formatDateTime } from './format.js';

const SVGNS = 'http://www.w3.org/2000/svg';

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

function appendChildren(node, children) {
  for (const c of children.flat(Infinity)) {
    if (c !== null && c !== undefined && c !== false) node.append(c);
  }
}

/**
 * Build an HTML element: h('p', {class: 'x', dataset: {a: '1'}}, 'text', child).
 * Attributes that are null, undefined or false are left out; true gives an empty one.
 */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  appendChildren(node, children);
  return node;
}

/** Build an SVG element with attributes (null/undefined left out) and children. */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== null && v !== undefined) node.setAttribute(k, String(v));
  }
  appendChildren(node, children);
  return node;
}

/** A <time> element showing an ISO timestamp in Amsterdam time. */
export function timeEl(iso) {
  return h('time', { datetime: iso || null }, formatDateTime(iso));
}

/** Set an element's text by id. */
export function setText(id, text) {
  $(id).textContent = text;
}
