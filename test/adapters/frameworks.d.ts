// The adapter suite runs two majors of each framework, installed under aliases
// (express4, express5, koa2, koa3); they share the one set of typings installed.
declare module 'express4' {
  import express from 'express';
  export default express;
}

declare module 'express5' {
  import express from 'express';
  export default express;
}

declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}

declare module 'koa3' {
  import Koa from 'koa';
  export default Koa;
}

declare module 'koa-bodyparser' {
  import type { Middleware } from 'koa';
  export default function bodyParser(options?: { enableTypes?: string[]; jsonLimit?: string }): Middleware;
}
