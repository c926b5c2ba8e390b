/**
 * English messages for zod's `mini` build, which loads none by default. Imported once for its effect by the modules
 * that hold schemas. (zod/mini rather than the classic API: the classic API adds ~450 KB to each function's bundle.)
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
