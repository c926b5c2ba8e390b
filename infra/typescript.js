'use strict';
/**
 * Loads a TypeScript module of the project by its path from the project's root, with tsx (the Framework loads
 * plugins as JavaScript): what the plugins generate comes from the same module the functions use.
 */
const tsx = require('tsx/cjs/api');
const { join } = require('node:path');

/** @param {string} path from the project's root, `shared/storedClick.ts` */
const loadTypeScript = (path) => tsx.require(join(__dirname, '..', path), join(__dirname, 'typescript.js'));

module.exports = { loadTypeScript };
