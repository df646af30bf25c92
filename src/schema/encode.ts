// The generic encoder: values written the way people type them ("eth0", "1400", "10.0.0.1",
// "UP,LOOPBACK", "AF_INET") → bytes, per the same tables the decoder reads.
import { concat, fromHex, parseIPv4, parseIPv6, type AttrSpec } from '../codec/index.js';
import { selectFormat, type Level, type SelectorValue } from './selector.js';
import type { AttrDef, Schema, StructDef, ValueDef, WireType } from './types.js';
import { INT_SIZES } from './values.js';
import { attrTypeNumber, checkBare, checkBraces, checkNestable, unknownTypeWord } from './attr-checks.js';
import { joinValueLists } from './attr-list.js';

export class EncodeError extends Error {}

function parseMac(s: string): Uint8Array | undefined {
  if (!/^[0-9a-f]{1,2}([:-][0-9a-f]{1,2})+$/i.test(s)) return undefined;
  return Uint8Array.from(s.split(/[:-]/).map((x) => parseInt(x, 16)));
}

function lookupName(table: Record<number, string> | undefined, word: string): number | undefined {
  if (!table) return undefined;
  const w = word.toLowerCase();
  for (const [n, name] of Object.entries(table)) if (name.toLowerCase() === w) return Number(n);
  // Without the common prefix, when that names one entry: "inet" for AF_INET.
  const bySuffix = Object.entries(table).filter(([, name]) => name.toLowerCase().endsWith(`_${w}`));
  return bySuffix.length === 1 ? Number(bySuffix[0][0]) : undefined;
}

function parseInteger(text: string, def: ValueDef, schema: Schema): bigint {
  const t = text.trim();
  if (/^-?(0x[0-9a-f]+|\d+)$/i.test(t)) return BigInt(t.startsWith('-') ? -BigInt(t.slice(1)) : BigInt(t));
  if (def.enum) {
    const n = lookupName(schema.enums[def.enum], t);
    if (n !== undefined) return BigInt(n);
    const names = Object.values(schema.enums[def.enum] ?? {});
    throw new EncodeError(`'${t}' is neither a number nor a name in ${def.enum} (${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''})`);
  }
  if (def.flags) {
    let v = 0n;
    for (const word of t.split(/[,|]/).filter(Boolean)) {
      const n = /^(0x[0-9a-f]+|\d+)$/i.test(word) ? BigInt(word) : lookupName(schema.flagSets[def.flags], word);
      if (n === undefined) throw new EncodeError(`'${word}' is not a flag of ${def.flags} (flags: ${Object.values(schema.flagSets[def.flags] ?? {}).join(', ')})`);
      v |= BigInt(n);
    }
    return v;
  }
  if (def.display === 'ipv4') {
    const b = parseIPv4(t);
    // The address bytes in wire order: read as the integer the wire holds (big-endian when so declared).
    if (b) return BigInt(new DataView(b.buffer).getUint32(0, !def.be));
  }
  throw new EncodeError(`'${t}' is not a whole number${def.display === 'ipv4' ? ' or an IPv4 address' : ''}`);
}

export function encodeInt(type: WireType, value: bigint, be = false): Uint8Array {
  const size = INT_SIZES[type];
  if (!size) throw new EncodeError(`${type} is not an integer type`);
  const signed = type.startsWith('s');
  const bits = BigInt(size * 8);
  const min = signed ? -(1n << (bits - 1n)) : 0n;
  const max = signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
  if (value < min || value > max) throw new EncodeError(`${value} is out of range for ${type} (${min} to ${max})`);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  const le = !be;
  switch (size) {
    case 1: v.setUint8(0, Number(BigInt.asUintN(8, value))); break;
    case 2: v.setUint16(0, Number(BigInt.asUintN(16, value)), le); break;
    case 4: v.setUint32(0, Number(BigInt.asUintN(32, value)), le); break;
    case 8: v.setBigUint64(0, BigInt.asUintN(64, value), le); break;
  }
  return out;
}

/** What each address display expects, for error messages. */
const ADDRESS_WORDS: Partial<Record<string, string>> = {
  ipv4: 'an IPv4 address', ipv6: 'an IPv6 address', addr: 'an IPv4 or IPv6 address', 'inet-addr16': 'an IPv4 or IPv6 address', mac: 'a MAC address',
};

/** Encode one non-nested value from text, per its definition. */
export function encodeValue(text: string, def: ValueDef, schema: Schema): Uint8Array {
  if (INT_SIZES[def.type]) return encodeInt(def.type, parseInteger(text, def, schema), def.be);
  if (def.type === 'binary' && def.subType && INT_SIZES[def.subType]) {
    // An array of integers, written as a comma-separated list.
    const parts = text.split(',').map((x) => x.trim()).filter(Boolean).map((x) => encodeInt(def.subType!, parseInteger(x, { ...def, type: def.subType! }, schema), def.be));
    return concat(parts);
  }
  switch (def.type) {
    case 'uint': case 'sint': {
      // Variable width: 4 bytes when the value fits, as the kernel's nla_put_uint does.
      const n = parseInteger(text, def, schema);
      const fits = def.type === 'uint' ? n <= 0xffffffffn : n <= 0x7fffffffn && n >= -0x80000000n;
      return encodeInt(def.type === 'uint' ? (fits ? 'u32' : 'u64') : fits ? 's32' : 's64', n, def.be);
    }
    case 'bitfield32': {
      // value/selector (names of flags allowed); a bare value selects its own bits.
      const [v, sel] = text.split('/');
      const word = (t: string) => encodeInt('u32', parseInteger(t, { type: 'u32', flags: def.flags, enum: def.enum }, schema));
      const out = new Uint8Array(8);
      out.set(word(v), 0);
      out.set(word(sel ?? v), 4);
      return out;
    }
    case 'pad':
      return new Uint8Array(0);
    case 'flag':
      if (text !== '') throw new EncodeError(`a flag takes no value (got '${text}'): present means set`);
      return new Uint8Array(0);
    case 'string':
      return new TextEncoder().encode(text + '\0');
    case 'binary': {
      const addr = def.display === 'mac' ? parseMac(text) : def.display === 'ipv6' ? parseIPv6(text) : def.display === 'ipv4' ? parseIPv4(text)
        : def.display === 'addr' || def.display === 'inet-addr16' ? parseIPv4(text) ?? parseIPv6(text) : undefined;
      if (addr) return addr;
      // Hex may be written "aa:bb", but an address that did not parse is no hex to fall back on.
      if (def.display && ADDRESS_WORDS[def.display] && /[.:]/.test(text)) {
        const prefix = /\/\d+$/.test(text) ? ': a prefix length goes in the family header (e.g. --header rtm_dst_len=8)' : ' (or hex bytes)';
        throw new EncodeError(`'${text}' is not ${ADDRESS_WORDS[def.display]}${prefix}`);
      }
      if (def.display === 'text') return new TextEncoder().encode(text);
      try {
        return fromHex(text);
      } catch {
        throw new EncodeError(`'${text}' is not ${def.display ? `${ADDRESS_WORDS[def.display] ?? `a ${def.display} value`} (or hex bytes)` : 'hex bytes (pairs of digits 0-9, a-f)'}`);
      }
    }
    default:
      throw new EncodeError(`a ${def.type} value cannot be written as text`);
  }
}

/** Encode a struct from field values by name (unnamed fields are zero). */
export function encodeStruct(def: StructDef, values: Record<string, string>, schema: Schema, sizeOf: (d: StructDef) => number): Uint8Array {
  const out = new Uint8Array(sizeOf(def));
  const known = new Set(def.fields.map((f) => f.name));
  for (const name of Object.keys(values)) {
    if (!known.has(name) && !def.fields.some((f) => f.key === name)) {
      throw new EncodeError(`${def.name} has no field '${name}' (fields: ${def.fields.map((f) => f.name).join(', ')})`);
    }
  }
  let off = 0;
  for (const f of def.fields) {
    off += f.pad ?? 0;
    const inner = f.type === 'struct' && f.struct ? schema.structs[f.struct] : undefined;
    const size = inner ? sizeOf(inner) : INT_SIZES[f.type] ?? f.size ?? 0;
    const text = values[f.name] ?? (f.key ? values[f.key] : undefined);
    if (text !== undefined) {
      const bytes = encodeValue(text, f, schema);
      if (bytes.length > size) throw new EncodeError(`${def.name}.${f.name} holds ${size} bytes, got ${bytes.length}`);
      out.set(bytes, off);
    }
    off += size;
  }
  return out;
}

// ---- typed attributes from the command line: NAME=[type:]value, nested NAME={A=…,B=…}

const EXPLICIT_TYPES: Record<string, ValueDef> = {
  u8: { type: 'u8' }, u16: { type: 'u16' }, u32: { type: 'u32' }, u64: { type: 'u64' },
  s8: { type: 's8' }, s16: { type: 's16' }, s32: { type: 's32' }, s64: { type: 's64' },
  be16: { type: 'u16', be: true }, be32: { type: 'u32', be: true }, be64: { type: 'u64', be: true },
  str: { type: 'string' }, string: { type: 'string' }, strz: { type: 'string' },
  bytes: { type: 'binary', display: 'text' }, text: { type: 'binary', display: 'text' },
  hex: { type: 'binary' }, bin: { type: 'binary' }, binary: { type: 'binary' }, flag: { type: 'flag' },
  ipv4: { type: 'binary', display: 'ipv4' }, ipv6: { type: 'binary', display: 'ipv6' }, ip: { type: 'binary', display: 'addr' },
  mac: { type: 'binary', display: 'mac' },
};

/** Split "A=1,B={C=2,D=3},E=x" at top-level commas. */
function splitTop(s: string): string[] {
  const parts: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '{') depth++;
    else if (s[i] === '}') depth--;
    else if (s[i] === ',' && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

function findAttr(schema: Schema, setName: string | undefined, name: string): { type: number; def?: AttrDef } {
  const type = attrTypeNumber(name);
  if (type !== undefined) {
    return { type, def: setName ? schema.attrSets[setName]?.attrs[type] : undefined };
  }
  const set = setName ? schema.attrSets[setName] : undefined;
  if (set) {
    // The spec's name (dev-name), the C name (ETHTOOL_A_HEADER_DEV_NAME), or the C name after the prefix.
    const want = name.toUpperCase().replace(/-/g, '_');
    for (const [n, d] of Object.entries(set.attrs)) {
      if (d.spec === name || d.name.toUpperCase() === want || d.name.toUpperCase() === set.prefix + want) return { type: Number(n), def: d };
    }
  }
  if (!set) throw new EncodeError(`unknown attribute '${name}': nlctl has no attribute table here, give numbers (e.g. 1=u32:5)`);
  const known = Object.values(set.attrs).map((d) => d.spec ?? d.name).slice(0, 10).join(', ');
  throw new EncodeError(`unknown attribute '${name}' in ${setName} (known: ${known}${Object.keys(set.attrs).length > 10 ? ', …' : ''})`);
}

/** One list of command-line items of set `setName`, in the chain of levels a sub-message's selector is looked for in. */
interface ItemLevel extends Level<ItemLevel> {
  setName: string;
  items: string[];
  schema: Schema;
}

/** The text of the item that gives attribute `type` (IFLA_INFO_KIND=vxlan → vxlan). */
function itemValue(l: ItemLevel, type: number): SelectorValue | undefined {
  for (const item of l.items) {
    const eq = item.indexOf('=');
    if (eq < 0) continue;
    let found: number | undefined;
    try {
      found = findAttr(l.schema, l.setName, item.slice(0, eq).trim()).type;
    } catch {
      continue;
    }
    if (found === type) return { text: item.slice(eq + 1).trim().replace(/^str(ing)?:/, '') };
  }
  return undefined;
}

/** A sub-message's format, picked by its selector's value (kind=vxlan for data={…}). */
function subMessageSet(def: AttrDef, schema: Schema, level: ItemLevel | undefined): { set?: string; header?: string } {
  const picked = selectFormat(def, schema, level, itemValue);
  if ('format' in picked) return { set: picked.format.attrs, header: picked.format.header };
  if (picked.problem === 'no-format') throw new EncodeError(`${def.name}: no format for ${def.selector} '${picked.value.text}' (known: ${picked.known.join(', ')})`);
  throw new EncodeError(`${def.name}: give ${def.selector} beside it (it picks the format)`);
}

/** Parse one --attr argument (or a nested list) into attribute specs. */
export function parseAttrSpecs(text: string, schema: Schema, setName: string | undefined, outer?: ItemLevel): AttrSpec[] {
  checkBraces(text);
  const typeOf = (name: string) => findAttr(schema, setName, name).type;
  const items = joinValueLists(splitTop(text), typeOf);
  const set = setName !== undefined ? schema.attrSets[setName] : undefined;
  const level: ItemLevel | undefined = set ? { set, setName: setName!, items, schema, outer } : outer;
  return items.map((item) => {
    const eq = item.indexOf('=');
    if (eq < 0) {
      // A bare name is a flag attribute.
      const { type, def } = findAttr(schema, setName, item);
      checkBare(item, def);
      return { type, value: new Uint8Array(0) };
    }
    const name = item.slice(0, eq).trim();
    const rest = item.slice(eq + 1).trim();
    if (!name) throw new EncodeError(`'${item}' has no attribute name before '='`);
    const { type, def } = findAttr(schema, setName, name);
    if (rest.startsWith('{')) {
      if (!rest.endsWith('}')) throw new EncodeError(`${name}: unbalanced braces in '${rest}'`);
      if (def?.type === 'sub-message') {
        const f = subMessageSet(def, schema, level);
        if (f.header) throw new EncodeError(`${name}: a sub-message with a fixed header: use --json`);
        return { type, children: parseAttrSpecs(rest.slice(1, -1), schema, f.set, level) };
      }
      checkNestable(name, def);
      return { type, children: parseAttrSpecs(rest.slice(1, -1), schema, def?.nested, level) };
    }
    const colon = rest.indexOf(':');
    const explicit = colon > 0 ? EXPLICIT_TYPES[rest.slice(0, colon).toLowerCase()] : undefined;
    const valueText = explicit ? rest.slice(colon + 1) : rest;
    // "NAME=flag" for an attribute the table does not know: an explicit flag.
    const flagWord = !explicit && !def && rest.toLowerCase() === 'flag';
    const vdef: ValueDef | undefined = explicit ? { ...explicit, enum: def?.enum, flags: def?.flags } : flagWord ? { type: 'flag' } : def;
    const typeTypo = unknownTypeWord(rest, Object.keys(EXPLICIT_TYPES));
    if (!vdef && typeTypo) throw new EncodeError(`${name}: ${typeTypo}`);
    if (!vdef) throw new EncodeError(`${name}: give a type, e.g. ${name}=u32:1 or ${name}=str:text (types: ${Object.keys(EXPLICIT_TYPES).join(', ')})`);
    if (vdef.type === 'nest' || vdef.type === 'nest-array') throw new EncodeError(`${name} is nested: write ${name}={ATTR=value,…}`);
    if (vdef.type === 'struct' || vdef.type === 'struct-list') {
      const sdef = vdef.struct ? schema.structs[vdef.struct] : undefined;
      throw new EncodeError(`${name} holds a struct${sdef ? ` ${sdef.name} (${sdef.fields.map((f) => f.name).join(', ')})` : ''}: give its bytes, ${name}=hex:…`);
    }
    try {
      return { type, netByteOrder: false, value: encodeValue(flagWord ? '' : valueText, vdef, schema) };
    } catch (e) {
      const typeOnly = EXPLICIT_TYPES[rest.toLowerCase()] ? ` (a type goes before a colon: ${name}=${rest}:VALUE)` : '';
      throw new EncodeError(`${name}: ${typeTypo ?? (e as Error).message}${typeOnly}`);
    }
  });
}
