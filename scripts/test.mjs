// `npm test`: every package's checks and tests, in two Turborepo runs side by side.
//
// The system tests are the longest task by far (minutes, each file running a whole shop), and
// Turborepo cannot be told to start a task first: in one run they would start only when their
// turn came, then run alone while the second core idled. So one run takes the system tests'
// package (its type-check, lint and tests, and the console build its browser tests need) and the
// other everything else, each one task at a time: the two cores stay busy from start to end. Both
// runs share the cache, so a second `npm test` with nothing changed is served from it.
import { spawn } from 'node:child_process';

const SYSTEM_TESTS = '@shop/system-tests';
const TASKS = ['typecheck', 'lint', 'test', 'contracts:test', 'contracts:check'];
const runs = [
  ['--filter', SYSTEM_TESTS],
  ['--filter', `!${SYSTEM_TESTS}`],
];

const turbo = (filter) =>
  new Promise((resolve) => {
    const child = spawn('turbo', ['run', ...TASKS, ...filter, '--concurrency=1'], {
      stdio: 'inherit',
    });
    child.on('error', (error) => {
      console.error(error);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });

const codes = await Promise.all(runs.map(turbo));
process.exitCode = codes.some((code) => code !== 0) ? 1 : 0;
