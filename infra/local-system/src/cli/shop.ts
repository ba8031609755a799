import { COMMANDS, type Command, HELP } from './help.js';

const isCommand = (value: string | undefined): value is Command =>
  COMMANDS.some((command) => command === value);

const [command, ...args] = process.argv.slice(2);
if (!isCommand(command)) {
  console.log(HELP);
} else {
  try {
    // `npm start` says once what the AWS SDK would say about Node 20 at every call.
    process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
    // Loaded only for a command: `help` starts without the SDK, zod or the manifests.
    const { runCommand } = await import('./commands.js');
    await runCommand(command, args);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    console.error('Is the shop running? Start it with `npm start`.');
    process.exitCode = 1;
  }
}
