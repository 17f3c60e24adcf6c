/**
 * The console's one way to make HTML. Every value interpolated into an {@link html}
 * template is escaped, unless it is itself the result of an `html` template: there is
 * no other constructor of {@link SafeHtml} and no "raw" escape hatch, so an order
 * description, a provider's field or a callback's body always renders as text.
 */

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Text made safe for element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (char) => ESCAPES[char] ?? char);
}

const BRAND: unique symbol = Symbol('paymount.console.safeHtml');

/** Markup built by {@link html}; the only kind of value that is not escaped again. */
export class SafeHtml {
  readonly [BRAND] = true;
  readonly #text: string;

  /** Private by convention: only `html` and `join` build one (the brand keeps look-alikes out). */
  private constructor(text: string) {
    this.#text = text;
  }

  /** @internal */
  static fromTemplate(text: string): SafeHtml {
    return new SafeHtml(text);
  }

  toString(): string {
    return this.#text;
  }
}

/** What a template accepts in `${…}`: values are escaped, arrays concatenated, nothing else is special. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map((item) => render(item as HtmlValue)).join('');
  return escapeHtml(String(value));
}

/**
 * The tagged template for every piece of console markup:
 *
 * ```ts
 * html`<td>${payment.description}</td>`; // `<script>` becomes `&lt;script&gt;`
 * ```
 *
 * `null`, `undefined` and `false` render as nothing (for `${cond && html`…`}`).
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let text = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) text += render(values[i] as HtmlValue) + (strings[i + 1] ?? '');
  return SafeHtml.fromTemplate(text);
}

/** Pieces of markup with a separator between them (itself markup). */
export function join(parts: readonly SafeHtml[], separator: SafeHtml = html``): SafeHtml {
  return SafeHtml.fromTemplate(parts.map(String).join(separator.toString()));
}
