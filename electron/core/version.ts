// The package version, inlined at build time (esbuild `define`, and the same in vitest.config.ts),
// so no layer has to find package.json on disk at run time (it is not there inside an asar).
declare const __INTERCEPTOR_VERSION__: string;

export const INTERCEPTOR_VERSION: string = __INTERCEPTOR_VERSION__;
