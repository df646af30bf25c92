// send -p uevent puts the bare datagram on the wire (uevents have no nlmsghdr): a listener in the
// same namespace receives it as a uevent. A fresh namespace keeps it from the host's udev.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inNetns, ndjson, requireNamespaces } from '../helpers.js';

test('send -p uevent --to-group 1 reaches a uevent listener as the datagram given', (t) => {
  if (!requireNamespaces(t)) return;
  // Send only once the listener says it listens (its stderr), for at most 10 s.
  const out = inNetns(`
    d=$(mktemp -d)
    node "$NLCTL" -f ndjson listen -p uevent -g 1 --count 1 --timeout 15 > "$d/out" 2> "$d/err" &
    i=0; until grep -q 'listening on' "$d/err" || [ $i -ge 100 ]; do sleep 0.1; i=$((i+1)); done
    node "$NLCTL" send -p uevent --to-group 1 --hex 616464402f7800414354494f4e3d61646400 >/dev/null
    wait
    cat "$d/out"; rm -rf "$d"`);
  const [m] = ndjson(out);
  assert.equal(m.type_name, 'add');
  assert.equal(m.len, 18);
  assert.deepEqual(m.text, { header: 'add@/x', fields: { ACTION: 'add' } });
  assert.deepEqual(m.diagnostics, []);
});
