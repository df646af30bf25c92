// Reading a file the user named: a failure is a usage error that names the file and says why
// in words (no such file, a directory), never an internal error.
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory, not a file',
  EACCES: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
};

/**
 * `label` (an option name) goes before the path; `use` says what the file was for, after a
 * directory's "not a file" (decode: "is a directory, not a file to decode").
 */
export function fileError(path: string, e: unknown, label?: string, use?: string): UsageError {
  const err = e as NodeJS.ErrnoException;
  const why = (err.code && REASONS[err.code]) ?? err.message;
  return new UsageError(`${label ? `${label} ` : ''}${path}: ${why}${use && err.code === 'EISDIR' ? ` ${use}` : ''}`);
}

/** The file's bytes; `label` (an option name) goes before the path in the message. */
export function readUserFile(path: string, label?: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw fileError(path, e, label);
  }
}
