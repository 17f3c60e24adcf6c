import type { PaymentsRequest } from '@paymount/core/node';

/** Leading slashes collapsed: `//host/x` as a link base would leave the site. */
function sitePath(path: string): string {
  const trimmed = path.replace(/\/+$/, '').replace(/^\/+/, '');
  return trimmed === '' ? '' : `/${trimmed}`;
}

/**
 * Where the console is mounted, for its links: the `mountPath` option, else what the
 * framework's request says (Express `req.originalUrl`, Koa `ctx.originalUrl`: the full
 * path, of which `request.path` is the part below the mount), else the root.
 */
export function mountBase(request: PaymentsRequest, mountPath: string | undefined): string {
  if (mountPath !== undefined) return sitePath(mountPath);
  const original = (request.frameworkRequest as { originalUrl?: unknown } | undefined)?.originalUrl;
  if (typeof original !== 'string') return '';
  const at = original.indexOf('?');
  const full = at === -1 ? original : original.slice(0, at);
  const below = request.path.replace(/\/+$/, '');
  const trimmed = full.replace(/\/+$/, '');
  if (below === '') return sitePath(trimmed);
  if (!trimmed.toLowerCase().endsWith(below.toLowerCase())) return '';
  return sitePath(trimmed.slice(0, trimmed.length - below.length));
}
