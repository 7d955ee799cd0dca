/** The package version, replaced at build time by tsup's `define`. */
declare const __SDK_VERSION__: string;
