// How many problems a decoded message carries, nested attributes and echoed requests included.
import type { DecodedAttr, DecodedMessage } from '../schema/index.js';

export function countDiagnostics(m: DecodedMessage): number {
  const inAttrs = (attrs: DecodedAttr[] | undefined): number =>
    (attrs ?? []).reduce((n, a) => n + (a.diagnostics?.length ?? 0) + inAttrs(a.attrs), 0);
  return m.diagnostics.length + inAttrs(m.attrs) + (m.error?.request ? countDiagnostics(m.error.request) : 0);
}
