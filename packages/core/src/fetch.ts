// @paymount/core/fetch — what an adapter for a Fetch API runtime (Request → Response) is written against.
export type {
  HeaderMap,
  PaymentsRequest,
  PaymentsResponse,
  PaymountHandler,
  RouteMatch,
} from './contracts/http.js';
export {
  type FetchRequestDetails,
  fetchHeaderMap,
  fetchRequestTarget,
  handleFetchRequest,
  readFetchBody,
  toFetchResponse,
} from './fetch/fetch-http.js';
export { mountPrefix } from './http/adapter-request.js';
