// Replaced by tsup at build time with the package.json version; tests run from source, where it is absent.
declare const __SDK_VERSION__: string | undefined;

/** The version of this package, as sent in `context.library.version`. */
export const SDK_VERSION: string = typeof __SDK_VERSION__ === 'string' ? __SDK_VERSION__ : '0.0.0-dev';

/** The package name, as sent in `context.library.name`. */
export const SDK_NAME = '@volcanion-tracking/node-sdk';
