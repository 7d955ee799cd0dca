/**
 * @module
 * The standalone server as a function: what `volcanion-tracking serve` runs, for apps that start
 * it from code. Settings are validated by the same schema as the CLI's flags and variables.
 */
export { startServer, type ServerOptions, type RunningServer } from './start-server';
export {
  InvalidSettingError,
  parseServerSettings,
  serverSettingSpecs,
  type ServerSettings,
  type ServerSettingsInput,
  type SettingName,
} from '../config/server-settings';
export { serverLogger } from './server-logger';
