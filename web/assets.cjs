'use strict';
/**
 * The website's file names and cache rules, one definition for the build (dev/website.ts), the seed (the mysfits'
 * picture addresses, dev/seed.ts), the publish (infra/website.js) and the local web server:
 * - every file but index.html (and config.json) is content-hashed and lives under assets/, cached for a year;
 * - index.html and config.json are revalidated on every load, so a new page always names new files.
 * A picture's hashed name is computed from its file alone (sha256), so the seed knows it without a build.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ASSETS = 'assets';
const PICTURES_DIR = path.join(__dirname, 'pictures');
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/** `name.ext` -> `assets/name.<10 hex of sha256>.ext`. @param {string} fileName @param {Buffer | string} content */
function hashedKey(fileName, content) {
  const ext = path.extname(fileName);
  const hash = crypto.createHash('sha256').update(content).digest('hex').slice(0, 10);
  return `${ASSETS}/${path.basename(fileName, ext)}.${hash}${ext}`;
}

/** A picture of web/pictures (`chimera.svg`) as the site serves it. @param {string} picture @param {string} [dir] */
function pictureKey(picture, dir = PICTURES_DIR) {
  return hashedKey(picture, fs.readFileSync(path.join(dir, picture)));
}

/**
 * The absolute address of a picture on a site (`https://d1234.cloudfront.net`, `http://127.0.0.1:3000`).
 * @param {string} siteUrl @param {string} picture
 */
function pictureUrl(siteUrl, picture) {
  const site = new URL(siteUrl);
  if (site.protocol !== 'https:' && site.protocol !== 'http:') throw new Error(`not a website address: ${siteUrl}`);
  return new URL(pictureKey(picture), `${site.origin}/`).href;
}

/** The Cache-Control of a file of the site, by its key. @param {string} key */
function cacheControl(key) {
  return key.startsWith(`${ASSETS}/`) ? IMMUTABLE : REVALIDATE;
}

module.exports = { ASSETS, PICTURES_DIR, IMMUTABLE, REVALIDATE, hashedKey, pictureKey, pictureUrl, cacheControl };
