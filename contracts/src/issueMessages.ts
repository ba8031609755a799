import { en } from 'zod/locales';
import * as z from 'zod/mini';

/*
 * English messages for the issues of every schema, as full zod gives them: `zod/mini`, which the
 * contracts and the functions' code use so that a bundle holds only the parts of zod its schemas
 * use, has no locale of its own and says "Invalid input" of every issue. The package's index
 * imports this module for its effect, and `sideEffects` in package.json names it, so that every
 * bundle of a function keeps it.
 */
z.config(en());
