// A captured or received message's meta (time, direction, sender, group, nsid) as the JSON text
// JSON.stringify gives for the object the general decoder builds.
import type { ByteWriter } from '../json-bytes.js';
import type { CaptureMeta } from '../types.js';
import { writeTime } from './time.js';

const META = Buffer.from(',"meta":{');
const TIME = Buffer.from('"time":');
const DIRECTION = [new Uint8Array(0), Buffer.from('"direction":"in"'), Buffer.from('"direction":"out"')];
const FROM_PID = Buffer.from('"from_pid":');
const GROUP = Buffer.from('"group":');
const NSID = Buffer.from('"nsid":');

/** `,"meta":{…}`, as JSON.stringify writes the meta object generalMessage builds (keys in its order). */
export function metaJson(w: ByteWriter, m: CaptureMeta): void {
  w.raw(META);
  let keys = 0;
  if (m.time !== undefined) {
    w.raw(TIME);
    w.str(m.time);
    keys++;
  } else if (m.second !== undefined) {
    w.raw(TIME);
    writeTime(w, m.second, m.micros ?? 0);
    keys++;
  }
  const dir = m.direction === 'in' ? 1 : m.direction === 'out' ? 2 : 0;
  if (dir) {
    if (keys++) w.byte(44);
    w.raw(DIRECTION[dir]!);
  }
  if (m.from_pid !== undefined) {
    if (keys++) w.byte(44);
    w.raw(FROM_PID);
    w.num(m.from_pid);
  }
  if (m.group !== undefined) {
    if (keys++) w.byte(44);
    w.raw(GROUP);
    w.num(m.group);
  }
  if (m.nsid !== undefined) {
    if (keys++) w.byte(44);
    w.raw(NSID);
    w.num(m.nsid);
  }
  w.byte(125);
}
