/** HTML text that is already escaped; only `html` and `raw` make one. */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

type Interpolated = SafeHtml | string | number | null | undefined | false | readonly Interpolated[];

function render(value: Interpolated): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/**
 * Template tag for HTML: every interpolated value is escaped unless it is
 * itself `SafeHtml` (a nested `html` template), so shop data cannot inject markup.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolated[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Marks trusted, constant markup (inline CSS and scripts written in this repo) as safe. */
export function raw(text: string): SafeHtml {
  return new SafeHtml(text);
}

const STYLE = `
  :root { font-family: system-ui, sans-serif; color: #1d2330; background: #f6f4ef; }
  body { max-width: 760px; margin: 0 auto; padding: 0 20px 40px; }
  header { display: flex; justify-content: space-between; align-items: baseline; padding: 18px 0; border-bottom: 1px solid #ddd6c8; margin-bottom: 24px; }
  header a { color: inherit; text-decoration: none; }
  .brand { font-size: 1.4rem; font-weight: 700; }
  nav a { margin-left: 16px; color: #4a5670; }
  .products { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 16px; }
  .card { background: #fff; border: 1px solid #e4ddcf; border-radius: 10px; padding: 16px; }
  .price { font-size: 1.2rem; font-weight: 600; margin: 8px 0; }
  button, .button { background: #2d5be3; color: #fff; border: 0; border-radius: 6px; padding: 9px 16px; font-size: 1rem; cursor: pointer; text-decoration: none; display: inline-block; }
  table { width: 100%; border-collapse: collapse; background: #fff; }
  th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid #eee7da; }
  .status { display: inline-block; border-radius: 999px; padding: 3px 12px; font-weight: 600; font-size: .9rem; }
  .status-paid { background: #d7f5df; color: #11642d; }
  .status-waiting { background: #fff1c9; color: #7a5600; }
  .status-problem { background: #fde0dc; color: #8c2415; }
  .status-none { background: #e9ecf3; color: #3e4a63; }
  fieldset { border: 1px solid #e4ddcf; border-radius: 10px; background: #fff; margin: 16px 0; }
  label.choice { display: block; padding: 6px 0; }
  .hint { color: #6b7387; font-size: .9rem; }
  .notice { background: #fff; border-left: 4px solid #2d5be3; padding: 10px 14px; margin: 16px 0; }
`;

/** The page frame every shop page shares. */
export function layout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Paymount Goods</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<header><a class="brand" href="/">Paymount Goods</a><nav><a href="/">Products</a><a href="/orders">Orders</a></nav></header>
<main>
${body}
</main>
</body>
</html>`.text;
}
