/**
 * @module
 * Run the fetch handler in `node:http` and servers built on it.
 */
export { createNodeListener, type NodeListenerOptions } from './node-listener';
export { serveNode, writeApiResponse, type NodeMountOptions } from './serve-node';
export { toWebRequest } from './to-web-request';
export { writeWebResponse } from './write-web-response';
