// Colours for the text formats. chalk is loaded only when colour is written (loadColour, called
// by whatever makes a colouring writer); without colour every style is the text as it is, as
// chalk's level 0 gives it, with no chalk loaded (~2 ms of start-up for a decode to a pipe).
import type { ChalkInstance } from 'chalk';

let chalk: typeof import('chalk') | undefined;

/** Any chain of styles (c.red, c.bold.red …): its arguments joined by spaces, as chalk joins them. */
const plainStyle = (...args: unknown[]): string => (args.length === 1 ? String(args[0]) : args.join(' '));
const PLAIN = new Proxy(plainStyle, { get: (target, key) => (key === 'level' ? 0 : PLAIN) }) as unknown as ChalkInstance;

/** Loads chalk, for chalkFor(true); a no-op after the first call. */
export async function loadColour(): Promise<void> {
  chalk ??= await import('chalk');
}

export function chalkFor(color: boolean): ChalkInstance {
  if (!color) return PLAIN;
  if (!chalk) throw new Error('colour asked for before loadColour()');
  return new chalk.Chalk({ level: 1 });
}
