import type { PageContext } from '../pages/context.js';
import { link } from '../pages/context.js';
import type { ConsolePage } from '../routes.js';
import { STYLESHEET_PATH } from '../routes.js';
import { html, type SafeHtml } from './template.js';

const NAV: ReadonlyArray<{ page: ConsolePage; label: string; path: '/' | '/payments' | '/hooks' }> = [
  { page: 'overview', label: 'Overview', path: '/' },
  { page: 'payments', label: 'Payments', path: '/payments' },
  { page: 'hooks', label: 'Hooks', path: '/hooks' },
];

/** The document around every page: one `<title>`, landmarks, a skip link and the stylesheet. */
export function document(base: string, pageTitle: string, consoleTitle: string, inner: SafeHtml): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${pageTitle} · ${consoleTitle}</title>
<link rel="stylesheet" href="${base}${STYLESHEET_PATH}">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
${inner}
</body>
</html>
`;
}

/** A signed-in page: header with the navigation and the operator, then the page's main content. */
export function layout(ctx: PageContext, current: ConsolePage | null, pageTitle: string, body: SafeHtml) {
  const nav = NAV.map(
    (item) =>
      html`<li><a href="${link(ctx, item.path)}"${item.page === current ? html` aria-current="page"` : ''}>${item.label}</a></li>`,
  );
  const who = ctx.operator.name ?? ctx.operator.id;
  return document(
    ctx.base,
    pageTitle,
    ctx.title,
    html`<header class="top"><div class="bar">
<a class="brand" href="${link(ctx, '/')}">${ctx.title}</a>
<nav aria-label="Console"><ul>${nav}</ul></nav>
<span class="who">Signed in as <strong>${who}</strong>${ctx.canAct ? '' : ' · view only'}</span>
</div></header>
<main id="main" tabindex="-1">
${body}
</main>
<footer>paymount console · times in UTC</footer>`,
  );
}
