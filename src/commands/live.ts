// Plumbing shared by the live commands: stop on Ctrl-C / SIGTERM / a closed pipe, and parse group lists.
import { UsageError } from '../errors.js';
import type { SignalSource } from '../context.js';
import type { Output } from '../output.js';
import type { Transport } from '../transport/index.js';

export interface StopSignal {
  /** Why the command was asked to stop, once it was. */
  reason?: 'SIGINT' | 'SIGTERM' | 'EPIPE';
  dispose(): void;
}

/**
 * Ask for a stop on SIGINT, SIGTERM or a closed stdout: the receive loop sees it between two
 * batches (or at once when it waits: the wait is woken), so a full receive queue cannot delay it.
 */
export function stopOnSignals(t: Transport, out: Output, signals: SignalSource, stderr?: NodeJS.WritableStream): StopSignal {
  out.stopsAtOnce();
  out.onDropped = (bytes) => stderr?.write(`nlctl: stopped while the output's reader was not reading: ${bytes} byte(s) of output it had not taken are dropped\n`);
  const stop: StopSignal = {
    dispose: () => {
      signals.off('SIGINT', onInt);
      signals.off('SIGTERM', onTerm);
    },
  };
  const trigger = (reason: NonNullable<StopSignal['reason']>) => {
    stop.reason ??= reason;
    // No wait for a stalled reader holds the stop back.
    if (reason !== 'EPIPE') out.stop();
    t.wake();
  };
  const onInt = () => trigger('SIGINT');
  const onTerm = () => trigger('SIGTERM');
  signals.on('SIGINT', onInt);
  signals.on('SIGTERM', onTerm);
  out.onClose(() => trigger('EPIPE'));
  return stop;
}

/** "1,3" or "1 3" → [1, 3]; names resolved by `byName`. */
export function parseGroupList(specs: string[], byName: (name: string) => number | undefined, what = '--group'): number[] {
  const out: number[] = [];
  for (const word of specs.flatMap((s) => s.split(/[,\s]+/)).filter(Boolean)) {
    const n = /^\d+$/.test(word) ? Number(word) : byName(word);
    if (n === undefined) throw new UsageError(`${what}: unknown group '${word}'`);
    if (n < 1 || n > 0xffffffff) throw new UsageError(`${what}: group ${word} out of range (groups start at 1)`);
    out.push(n);
  }
  return out;
}

/** sockaddr_nl.nl_groups is one 32-bit mask: sendto reaches groups 1–32 only. */
const NL_GROUPS_BITS = 32;

/** Groups 1–32 as the bitmask in sockaddr_nl.nl_groups. */
export function groupMask(groups: number[]): number {
  let mask = 0;
  for (const g of groups) {
    if (g > NL_GROUPS_BITS) throw new UsageError(`destination group ${g}: only groups 1-32 can be addressed by sendto`);
    mask |= 1 << (g - 1);
  }
  return mask >>> 0;
}
