/** One thing the example shop sells. Prices are decimal strings, never floats. */
export interface Product {
  readonly id: string;
  readonly name: string;
  readonly blurb: string;
  readonly price: string;
  readonly currency: string;
}

/** The shop's whole catalogue: small on purpose, so the payment code stays in view. */
export const CATALOG: readonly Product[] = [
  {
    id: 'mug',
    name: 'Enamel camp mug',
    blurb: 'Holds 350 ml of coffee and survives being dropped off a cliff.',
    price: '12.50',
    currency: 'USD',
  },
  {
    id: 'notebook',
    name: 'Dot-grid notebook',
    blurb: 'A5, 160 pages of 100 g paper that fountain pens do not bleed through.',
    price: '9.90',
    currency: 'USD',
  },
  {
    id: 'lamp',
    name: 'Brass desk lamp',
    blurb: 'Warm light, a heavy base and a switch that clicks just right.',
    price: '74.00',
    currency: 'USD',
  },
];

/** The product with that id, or undefined. */
export function findProduct(id: string): Product | undefined {
  return CATALOG.find((product) => product.id === id);
}
