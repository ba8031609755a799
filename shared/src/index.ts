export { ConfigError, readConfig } from './readConfig.js';
