// tests/web/web_modules.mjs — loads the dashboard's modules (web/*.js) into Node.js for the
// unit tests of this folder. web/ holds plain ES modules for the browser and no
// package.json, so Node would read its .js files as CommonJS: they are copied into a
// temporary folder that declares "type": "module" and imported from there. Only modules
// that touch the DOM inside functions (not when loaded) can be imported this way; every
// module of web/ is written so.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository's web/ folder. */
export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');

let copy = null;

function copied() {
  if (copy) return copy;
  copy = fs.mkdtempSync(path.join(os.tmpdir(), 'lvhcmon-web-'));
  for (const name of fs.readdirSync(WEB_DIR)) {
    if (name.endsWith('.js')) fs.copyFileSync(path.join(WEB_DIR, name), path.join(copy, name));
  }
  fs.writeFileSync(path.join(copy, 'package.json'), '{"type": "module"}\n');
  process.on('exit', () => fs.rmSync(copy, { recursive: true, force: true }));
  return copy;
}

/**
 * Import one module of web/ by file name ("format.js").
 * @return {Promise<object>} the module namespace
 */
export function loadWeb(name) {
  return import(pathToFileURL(path.join(copied(), name)).href);
}

/** Every .js file name of web/. */
export function webScripts() {
  return fs.readdirSync(WEB_DIR).filter((n) => n.endsWith('.js')).sort();
}

/** Collapse NBSP and narrow NBSP (Intl's spaces) into plain spaces. */
export const plain = (s) => String(s).replace(/[\u00a0\u202f]/g, ' ');
