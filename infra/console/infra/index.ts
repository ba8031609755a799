export {
  CONSOLE_ROUTE,
  ConsoleStack,
  type ConsoleStackProps,
  consoleStack,
} from './ConsoleStack.js';
