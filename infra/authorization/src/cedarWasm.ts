import { setFlagsFromString } from 'node:v8';

// Node 20's V8 inlines the call into cedar-wasm into the optimized code of its callers; when that
// code is thrown away while the call runs (cedar-wasm calls back into JavaScript, which may
// invalidate it), the deoptimizer cannot rebuild the JS-to-Wasm frame and the process dies with
// "Fatal error ... unreachable code" (seen after a few thousand authorizations in one process).
// Without that inlining, the call costs a frame more and nothing dies. Every engine of this
// package reaches cedar-wasm through this module, so the flag is set before any call.
setFlagsFromString('--no-turbo-inline-js-wasm-calls');

export {
  preparsePolicySet,
  preparseSchema,
  statefulIsAuthorized,
} from '@cedar-policy/cedar-wasm/nodejs';
