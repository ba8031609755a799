/**
 * Probe: can this Node's V8 throw away optimized code that inlined a call into WebAssembly while
 * that call runs, when the call returns a reference (externref) as every cedar-wasm export does?
 * On Node 20 (V8 11.3) and Node 22 (V8 12.4) it cannot: the process dies with "Fatal error ...
 * unreachable code" in Deoptimizer::DoComputeBuiltinContinuation, which is why
 * `@shop/authorization` turns off `--turbo-inline-js-wasm-calls` (ADR 0029). Each case runs in a
 * process of its own: an optimized function calls a Wasm export that calls back into JavaScript,
 * and the callback deoptimizes the caller. Exits 1 if a case without inlining dies, since then
 * the flag no longer protects cedar-wasm's callers.
 */
import { spawnSync } from 'node:child_process';

// (module
//   (import "m" "cb" (func $cb))
//   (func (export "i32") (result i32) call $cb i32.const 42)
//   (func (export "externref") (param externref) (result externref) call $cb local.get 0))
const MODULE = [
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0d, 0x03, 0x60, 0x00, 0x00, 0x60, 0x00,
  0x01, 0x7f, 0x60, 0x01, 0x6f, 0x01, 0x6f, 0x02, 0x08, 0x01, 0x01, 0x6d, 0x02, 0x63, 0x62, 0x00,
  0x00, 0x03, 0x03, 0x02, 0x01, 0x02, 0x07, 0x13, 0x02, 0x03, 0x69, 0x33, 0x32, 0x00, 0x01, 0x09,
  0x65, 0x78, 0x74, 0x65, 0x72, 0x6e, 0x72, 0x65, 0x66, 0x00, 0x02, 0x0a, 0x0f, 0x02, 0x06, 0x00,
  0x10, 0x00, 0x41, 0x2a, 0x0b, 0x06, 0x00, 0x10, 0x00, 0x20, 0x00, 0x0b,
];

const child = (returns: string) => `
  let deoptimize = false;
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array([${MODULE}])), {
    m: { cb: () => { if (deoptimize) %DeoptimizeFunction(caller); } },
  });
  const argument = { an: 'object' };
  function caller() { return exports['${returns}'](argument); }
  %PrepareFunctionForOptimization(caller);
  caller(); caller();
  %OptimizeFunctionOnNextCall(caller);
  caller();
  if (!(%GetOptimizationStatus(caller) & 16)) throw new Error('caller was not optimized');
  deoptimize = true;
  const answer = caller();
  if (answer !== (${returns === 'i32'} ? 42 : argument)) throw new Error('wrong answer ' + answer);
`;

console.log(
  `Lazy deoptimization during a JS-to-Wasm call, Node ${process.version} (V8 ${process.versions.v8}):`,
);
let unprotected = false;
for (const inline of [true, false]) {
  for (const returns of ['i32', 'externref']) {
    const flag = inline ? '--turbo-inline-js-wasm-calls' : '--no-turbo-inline-js-wasm-calls';
    const run = spawnSync(
      process.execPath,
      ['--allow-natives-syntax', flag, '-e', child(returns)],
      {
        encoding: 'utf8',
      },
    );
    const fatal = /# Fatal error.*\n# (.+)/.exec(run.stderr)?.[1];
    const outcome =
      run.status === 0
        ? 'survives'
        : `dies (${run.signal ?? `exit ${run.status}`}: ${fatal ?? run.stderr.trim()})`;
    if (!inline && run.status !== 0) unprotected = true;
    console.log(`  ${flag.padEnd(32)} returns ${returns.padEnd(9)}  ${outcome}`);
  }
}
if (unprotected) process.exitCode = 1;
