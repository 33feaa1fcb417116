// For tests (node --import this file): installs hooks.mjs, which refuses to load TF.js or the
// parallel trainer, so a test can show that a code path never loads them.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
