// What every command gets, in one module that commands import (not the CLI that loads them):
// the streams, the global options, an exit code to set, and how to open netlink sockets.
import type { Command } from 'commander';
import type { Readable, Writable } from 'node:stream';
import type { GlobalOptions } from './output.js';
import type { TransportFactory } from './transport/types.js';

export interface Io {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  stdin: Readable;
  env: NodeJS.ProcessEnv;
}

export interface CommandContext {
  io: Io;
  global: GlobalOptions;
  /** Set by a command that wants a non-zero exit without an error message. */
  exitCode: number;
  /** Opens the sockets a command talks over: the kernel's, or a fake in tests. */
  transport: TransportFactory;
  /** Where Ctrl-C and SIGTERM come from (the process; a test's emitter). */
  signals: SignalSource;
  /** The whole program, for commands that describe it (completion scripts). */
  program: Command;
}

/** The part of `process` that delivers signals. */
export interface SignalSource {
  on(signal: 'SIGINT' | 'SIGTERM', handler: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', handler: () => void): unknown;
}

/** The kernel's sockets, loaded when a command first needs them: decode and --help never load the FFI. */
export async function kernelTransport(): Promise<TransportFactory> {
  const { NetlinkSocket } = await import('./transport/socket.js');
  return (protocol, opts) => new NetlinkSocket(protocol, opts);
}

/** Everything main() may be given instead of the process's own. */
export interface Deps extends Partial<Io> {
  transport?: TransportFactory;
  signals?: SignalSource;
}
