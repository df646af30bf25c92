// Records that decode leaves out, counted by reason and reported in one line at the end.
export class Skips {
  private readonly counts = new Map<string, number>();
  total = 0;

  add(reason: string): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    this.total++;
  }

  /** "3 record(s) skipped: 2 not netlink (link type 1), 1 empty". */
  summary(): string {
    const parts = [...this.counts].map(([why, n]) => `${n} ${why}`);
    return `${this.total} record(s) skipped: ${parts.join(', ')}`;
  }
}

/** True when every byte is zero (an unused receive buffer, not a message). */
export function allZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}
