import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Which simulator wrote a state file: one file never serves the other simulator. */
export type SimulatorKind = 'aurpay' | 'aaio';

const VERSION = 1;

interface StateFileContent<T> {
  readonly simulator: SimulatorKind;
  readonly version: number;
  readonly state: T;
}

/**
 * What a simulator saved in `path` last time, or null when there is no such file yet. A
 * file of the other simulator, of another version or that is no JSON at all throws: the
 * simulator must not start with orders it cannot read, nor overwrite them silently.
 */
export function readStateFile<T>(path: string, simulator: SimulatorKind): T | null {
  if (!existsSync(path)) return null;
  let content: StateFileContent<T>;
  try {
    content = JSON.parse(readFileSync(path, 'utf8')) as StateFileContent<T>;
  } catch (error) {
    throw new Error(
      `The ${simulator} simulator cannot read its state file ${path}: delete it to start over.`,
      {
        cause: error,
      },
    );
  }
  if (content?.simulator !== simulator || content.version !== VERSION) {
    throw new Error(
      `${path} is not a state file of the ${simulator} simulator (version ${VERSION}): give each simulator a file of its own.`,
    );
  }
  return content.state;
}

/**
 * Saves a simulator's state: written next to the file and renamed over it, so a process
 * killed mid-write (nodemon's restart) leaves the previous state, never half a file.
 */
export function writeStateFile(path: string, simulator: SimulatorKind, state: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const content: StateFileContent<unknown> = { simulator, version: VERSION, state };
  writeFileSync(temporary, JSON.stringify(content));
  renameSync(temporary, path);
}
