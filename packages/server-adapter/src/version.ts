declare const __VERSION__: string;

/** This package's version: tsup writes it in at build time; running from source says `0.0.0-source`. */
export const packageVersion: string = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-source';
