/** This package's name and version, as events carry them in `context.library`. */
export const library = {
  name: '@volcanion-tracking/browser-sdk',
  version: typeof __SDK_VERSION__ === 'string' ? __SDK_VERSION__ : '0.0.0-dev',
};
