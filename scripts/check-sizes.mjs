#!/usr/bin/env node
// Part of `npm run lint`: no source file under packages/*/src longer than 400 lines, no
// function longer than 80. Long files and functions are where one home per behaviour
// gets lost; the limits make a reviewer's rule a tool's. A function's length is its own
// lines: the functions nested in it (a factory's methods, a suite's test cases) count
// for themselves.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;
const root = join(fileURLToPath(import.meta.url), '..', '..');

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function functionName(node, file) {
  if (node.name) return node.name.getText(file);
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)))
    return parent.name.getText(file);
  return '(anonymous)';
}

const problems = [];
const packagesDir = join(root, 'packages');
for (const pkg of readdirSync(packagesDir)) {
  const src = join(packagesDir, pkg, 'src');
  if (!statSync(join(packagesDir, pkg)).isDirectory()) continue;
  let files;
  try {
    files = sources(src);
  } catch {
    continue;
  }
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    const where = relative(root, path);
    const lines = text.split('\n').length;
    if (lines > MAX_FILE_LINES) problems.push(`${where}: ${lines} lines (at most ${MAX_FILE_LINES})`);
    const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
    const lineOf = (pos) => file.getLineAndCharacterOfPosition(pos).line;
    const span = (node) => lineOf(node.end) - lineOf(node.getStart(file)) + 1;
    const isFunction = (node) => ts.isFunctionLike(node) && 'body' in node && node.body !== undefined;
    /** Lines of the functions directly inside `node` (not inside those). */
    const nestedLines = (node) => {
      let total = 0;
      const walk = (child) => {
        if (isFunction(child)) total += span(child);
        else ts.forEachChild(child, walk);
      };
      ts.forEachChild(node, walk);
      return total;
    };
    const visit = (node) => {
      if (isFunction(node)) {
        const own = span(node) - nestedLines(node);
        if (own > MAX_FUNCTION_LINES) {
          const line = lineOf(node.getStart(file)) + 1;
          problems.push(
            `${where}:${line}: ${functionName(node, file)} is ${own} lines (at most ${MAX_FUNCTION_LINES})`,
          );
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
}
if (problems.length > 0) {
  console.error(`✗ sizes:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('✓ sizes: every source file ≤ 400 lines, every function ≤ 80');
