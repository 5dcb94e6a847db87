import type { ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;
export interface RunOptions {
  releaseTypeScriptLoader?: () => Promise<void> | void;
}
export type Run = (values: Values, opts: RunOptions) => Promise<number>;

export interface Command {
  /** Words that select the command: ['user', 'add']. */
  path: string[];
  usage: string;
  summary: string;
  options: Options;
  /** Names of the positional arguments it takes, all required (`['FILE']`); given to it as `values.positionals`. */
  positionals?: string[];
  /** Loaded on use, so that `help` and typos answer at once instead of loading the whole server first. */
  load(): Promise<Run>;
}

export function requireString(values: Values, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--${name} is required`);
  return v.trim();
}

export function optionalString(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}
