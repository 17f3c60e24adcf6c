// @paymount/core/node — what an adapter for a Node.js framework is written against.
export type {
  HeaderMap,
  PaymentsRequest,
  PaymentsResponse,
  PaymountHandler,
  RouteMatch,
} from './contracts/http.js';
export {
  handleNodeRequest,
  internalErrorResponse,
  mountPrefix,
  type NodeRequestDetails,
  readRawBody,
  splitUrl,
  writableResponse,
  writeNodeFailure,
  writeNodeResponse,
} from './node/node-http.js';
