/**
 * @module
 * Run the fetch handler in `node:http` and servers built on it.
 */
export { createNodeListener } from './node-listener';
export { toWebRequest } from './to-web-request';
export { writeWebResponse } from './write-web-response';
