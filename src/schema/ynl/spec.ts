// A YNL spec as read from YAML (or from a built-in JSON table): the raw shape, checked once so
// that the compiler can trust it. A spec that is wrong gives one SpecError naming the YAML path
// (`attribute-sets[3].attributes[2].type`) and what is wrong — never an exception from deeper down.

type YamlModule = typeof import('yaml');
let yaml: YamlModule | undefined;

/**
 * The YAML parser loads only when a YAML spec is to be read (--spec, the search path): the
 * built-in tables are JSON, and start-up must not pay for a parser it does not use.
 */
export async function loadYamlParser(): Promise<void> {
  if (yaml) return;
  // A bundle may hand over the CommonJS build as the default export only.
  const mod = (await import('yaml')) as YamlModule & { default?: YamlModule };
  yaml = typeof mod.parse === 'function' ? mod : mod.default;

}

export type SpecProtocol = 'genetlink' | 'genetlink-legacy' | 'genetlink-c' | 'netlink-raw';

export interface RawEnumEntry { name: string; value?: number }
export interface RawDefinition {
  name: string;
  type: 'const' | 'enum' | 'flags' | 'struct';
  value?: number | string;
  'value-start'?: number;
  entries?: (string | RawEnumEntry)[];
  'name-prefix'?: string;
  'enum-name'?: string | null;
  header?: string;
  /** Where a constant is defined: uapi (the default) or kernel only. */
  scope?: string;
  members?: RawMember[];
}
export interface RawMember {
  name: string;
  type: string;
  len?: number | string;
  'byte-order'?: string;
  enum?: string;
  'enum-as-flags'?: boolean;
  'display-hint'?: string;
  struct?: string;
}
export interface RawAttr {
  name: string;
  type: string;
  value?: number;
  'nested-attributes'?: string;
  'multi-attr'?: boolean;
  'byte-order'?: string;
  'sub-type'?: string;
  'display-hint'?: string;
  struct?: string;
  enum?: string;
  'enum-as-flags'?: boolean;
  'sub-message'?: string;
  selector?: string;
  'type-value'?: string[];
  'name-prefix'?: string;
  len?: number | string;
}
export interface RawAttrSet {
  name: string;
  'name-prefix'?: string;
  'enum-name'?: string | null;
  'subset-of'?: string;
  attributes: RawAttr[];
}
export interface RawSubMessage {
  name: string;
  formats: { value: string; 'fixed-header'?: string; 'attribute-set'?: string }[];
}
export interface RawOpMode {
  request?: { value?: number; attributes?: string[] };
  reply?: { value?: number; attributes?: string[] };
}
export interface RawOp {
  name: string;
  value?: number;
  'attribute-set'?: string;
  'fixed-header'?: string;
  do?: RawOpMode;
  dump?: RawOpMode;
  notify?: string;
  event?: { attributes?: string[] };
  mcgrp?: string;
}
export interface RawSpec {
  name: string;
  protocol?: SpecProtocol;
  protonum?: number;
  version?: number;
  'uapi-header'?: string;
  'c-family-name'?: string;
  'c-version-name'?: string;
  definitions?: RawDefinition[];
  'attribute-sets': RawAttrSet[];
  'sub-messages'?: RawSubMessage[];
  operations: {
    'enum-model'?: 'unified' | 'directional';
    'name-prefix'?: string;
    'async-prefix'?: string;
    'fixed-header'?: string;
    list: RawOp[];
  };
  'mcast-groups'?: { list: { name: string; value?: number; 'c-define-name'?: string }[] };
}

/** What is wrong with a spec, and where: `file: path: message` is the whole story. */
export class SpecError extends Error {
  constructor(readonly file: string, readonly path: string, readonly problem: string) {
    super(`${file}: ${path}: ${problem}`);
    this.name = 'SpecError';
  }
}

const INT_TYPES = ['u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64'];
export const ATTR_TYPES = [...INT_TYPES, 'uint', 'sint', 'string', 'binary', 'flag', 'nest', 'indexed-array', 'nest-type-value', 'sub-message', 'bitfield32', 'pad', 'unused'];
const MEMBER_TYPES = [...INT_TYPES, 'pad', 'binary', 'string'];
const PROTOCOLS: SpecProtocol[] = ['genetlink', 'genetlink-legacy', 'genetlink-c', 'netlink-raw'];
const DISPLAY_HINTS = ['hex', 'mac', 'fddi', 'ipv4', 'ipv6', 'ipv4-or-v6', 'uuid'];

/** Keys kept in the built-in tables: facts the decoder and encoder use, no doc text or kernel policy. */
const KEEP: Record<string, string[]> = {
  root: ['name', 'protocol', 'protonum', 'version', 'uapi-header', 'c-family-name', 'c-version-name', 'definitions', 'attribute-sets', 'sub-messages', 'operations', 'mcast-groups'],
  definition: ['name', 'type', 'value', 'value-start', 'entries', 'name-prefix', 'enum-name', 'header', 'scope', 'members'],
  entry: ['name', 'value'],
  member: ['name', 'type', 'len', 'byte-order', 'enum', 'enum-as-flags', 'display-hint', 'struct'],
  set: ['name', 'name-prefix', 'enum-name', 'subset-of', 'attributes'],
  attr: ['name', 'type', 'value', 'nested-attributes', 'multi-attr', 'byte-order', 'sub-type', 'display-hint', 'struct', 'enum', 'enum-as-flags', 'sub-message', 'selector', 'type-value', 'name-prefix', 'len'],
  submsg: ['name', 'formats'],
  format: ['value', 'fixed-header', 'attribute-set'],
  operations: ['enum-model', 'name-prefix', 'async-prefix', 'fixed-header', 'list'],
  op: ['name', 'value', 'attribute-set', 'fixed-header', 'do', 'dump', 'notify', 'event', 'mcgrp'],
  mode: ['request', 'reply'],
  msg: ['value', 'attributes'],
  groups: ['list'],
  group: ['name', 'value', 'c-define-name'],
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function pick(o: Obj, kind: string): Obj {
  const out: Obj = {};
  for (const k of KEEP[kind]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** The facts of a checked spec, without doc text: what the built-in tables hold. */
export function stripSpec(spec: RawSpec): RawSpec {
  const r = pick(spec as unknown as Obj, 'root');
  if (spec.definitions) {
    r.definitions = spec.definitions.map((d) => {
      const o = pick(d as unknown as Obj, 'definition');
      if (d.entries) o.entries = d.entries.map((e) => (typeof e === 'string' ? e : e.value === undefined ? e.name : pick(e as unknown as Obj, 'entry')));
      if (d.members) o.members = d.members.map((m) => pick(m as unknown as Obj, 'member'));
      return o;
    });
  }
  r['attribute-sets'] = spec['attribute-sets'].map((s) => ({ ...pick(s as unknown as Obj, 'set'), attributes: s.attributes.map((a) => pick(a as unknown as Obj, 'attr')) }));
  if (spec['sub-messages']) r['sub-messages'] = spec['sub-messages'].map((m) => ({ name: m.name, formats: m.formats.map((f) => pick(f as Obj, 'format')) }));
  const ops = pick(spec.operations as unknown as Obj, 'operations');
  ops.list = spec.operations.list.map((op) => {
    const o = pick(op as unknown as Obj, 'op');
    for (const mode of ['do', 'dump'] as const) {
      const m = op[mode];
      if (!m) continue;
      const mo: Obj = {};
      if (m.request) mo.request = pick(m.request as Obj, 'msg');
      if (m.reply) mo.reply = pick(m.reply as Obj, 'msg');
      o[mode] = mo;
    }
    if (op.event) o.event = pick(op.event as Obj, 'msg');
    return o;
  });
  r.operations = ops;
  if (spec['mcast-groups']) r['mcast-groups'] = { list: spec['mcast-groups'].list.map((g) => pick(g as unknown as Obj, 'group')) };
  return r as unknown as RawSpec;
}

/** Checks a parsed document against the shape the compiler needs; throws one SpecError. */
export function checkSpec(doc: unknown, file: string): RawSpec {
  const at = (path: string, key: string) => (path ? `${path}.${key}` : key);
  const fail = (path: string, problem: string): never => {
    throw new SpecError(file, path || '(top)', problem);
  };
  const str = (o: Obj, key: string, path: string, required = true): string | undefined => {
    const v = o[key];
    if (v === undefined || v === null) return required ? fail(path, `'${key}' is missing`) : undefined;
    if (typeof v !== 'string' || v === '') return fail(at(path, key), `expected a name, found ${JSON.stringify(v)}`);
    return v;
  };
  /** Keys that, when present, must be names (prefixes, headers, references). */
  const names_ = (o: Obj, path: string, keys: string[]): void => {
    for (const k of keys) if (o[k] !== undefined && (typeof o[k] !== 'string' || o[k] === '')) fail(at(path, k), `expected a name, found ${JSON.stringify(o[k])}`);
  };
  const int = (o: Obj, key: string, path: string, min = 0, max = 0xffffffff): number | undefined => {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) return fail(at(path, key), `expected a whole number from ${min} to ${max}, found ${JSON.stringify(v)}`);
    return v;
  };
  const list = (o: Obj, key: string, path: string, required = true): unknown[] => {
    const v = o[key];
    if (v === undefined || v === null) return required ? fail(path, `'${key}' is missing`) : [];
    if (!Array.isArray(v)) return fail(at(path, key), 'expected a list');
    return v;
  };
  const obj = (v: unknown, path: string): Obj => (isObj(v) ? v : fail(path, `expected a mapping, found ${Array.isArray(v) ? 'a list' : JSON.stringify(v)}`));
  const oneOf = (o: Obj, key: string, path: string, allowed: string[]): void => {
    const v = o[key];
    if (v !== undefined && (typeof v !== 'string' || !allowed.includes(v))) fail(at(path, key), `'${String(v)}' is not one of ${allowed.join(', ')}`);
  };
  const names = (items: unknown[], path: string, what: string): Map<string, Obj> => {
    const seen = new Map<string, Obj>();
    items.forEach((item, i) => {
      const o = obj(item, `${path}[${i}]`);
      const n = str(o, 'name', `${path}[${i}]`)!;
      if (seen.has(n)) fail(`${path}[${i}].name`, `${what} '${n}' is defined twice`);
      seen.set(n, o);
    });
    return seen;
  };

  const root = obj(doc, '');
  str(root, 'name', '');
  names_(root, '', ['uapi-header', 'c-family-name', 'c-version-name']);
  oneOf(root, 'protocol', '', PROTOCOLS);
  int(root, 'protonum', '', 0, 31);
  int(root, 'version', '', 0, 255);
  if (root.protocol === 'netlink-raw' && root.protonum === undefined) fail('', "'protonum' is missing (netlink-raw families need one)");

  const defs = list(root, 'definitions', '', false);
  const defByName = names(defs, 'definitions', 'definition');
  defs.forEach((d, i) => {
    const o = d as Obj;
    const p = `definitions[${i}]`;
    oneOf(o, 'type', p, ['const', 'enum', 'flags', 'struct']);
    names_(o, p, ['name-prefix', 'header', 'scope']);
    if (o['enum-name'] !== null) names_(o, p, ['enum-name']);
    if (o.type === undefined) fail(p, "'type' is missing");
    if (o.type === 'enum' || o.type === 'flags') {
      int(o, 'value-start', p, 0, o.type === 'flags' ? 63 : 0xffffffff);
      const seen = new Set<string>();
      list(o, 'entries', p).forEach((e, j) => {
        const ep = `${p}.entries[${j}]`;
        const name = typeof e === 'string' ? e : str(obj(e, ep), 'name', ep);
        if (!name) fail(ep, 'expected a name');
        if (seen.has(name!)) fail(ep, `entry '${name}' is defined twice`);
        seen.add(name!);
        if (isObj(e)) int(e, 'value', ep, 0, o.type === 'flags' ? 63 : 0xffffffff);
      });
    } else if (o.type === 'struct') {
      list(o, 'members', p).forEach((m, j) => {
        const mp = `${p}.members[${j}]`;
        const mo = obj(m, mp);
        str(mo, 'name', mp);
        names_(mo, mp, ['enum', 'struct']);
        if (mo.type === undefined) fail(mp, "'type' is missing");
        oneOf(mo, 'type', mp, MEMBER_TYPES);
        oneOf(mo, 'byte-order', mp, ['big-endian', 'little-endian']);
        oneOf(mo, 'display-hint', mp, DISPLAY_HINTS);
        if ((mo.type === 'pad' || mo.type === 'binary' || mo.type === 'string') && mo.struct === undefined && typeof mo.len !== 'number') {
          if (mo.len === undefined && j < (o.members as unknown[]).length - 1) fail(mp, `a ${String(mo.type)} member needs 'len'`);
          if (mo.len !== undefined) int(mo, 'len', mp, 0, 0xffff);
        }
      });
    } else if (o.value === undefined) fail(p, "'value' is missing");
    else if (typeof o.value !== 'number' && typeof o.value !== 'string') fail(at(p, 'value'), `expected a number, found ${JSON.stringify(o.value)}`);
  });
  const defIs = (name: unknown, types: string[]) => typeof name === 'string' && types.includes(String(defByName.get(name)?.type));
  // Structs may name other structs: refer only to ones defined.
  defs.forEach((d, i) => {
    ((d as Obj).members as Obj[] | undefined)?.forEach((m, j) => {
      if (m.struct !== undefined && !defIs(m.struct, ['struct'])) fail(`definitions[${i}].members[${j}].struct`, `no struct '${String(m.struct)}' in definitions`);
      if (m.enum !== undefined && !defIs(m.enum, ['enum', 'flags'])) fail(`definitions[${i}].members[${j}].enum`, `no enum '${String(m.enum)}' in definitions`);
    });
  });

  const sets = list(root, 'attribute-sets', '');
  const setByName = names(sets, 'attribute-sets', 'attribute set');
  const subs = list(root, 'sub-messages', '', false);
  const subByName = names(subs, 'sub-messages', 'sub-message');
  sets.forEach((s, i) => {
    const so = s as Obj;
    const p = `attribute-sets[${i}]`;
    names_(so, p, ['name-prefix', 'subset-of']);
    const parent = so['subset-of'];
    if (parent !== undefined && !setByName.has(String(parent))) fail(`${p}.subset-of`, `no attribute set '${String(parent)}'`);
    const attrs = list(so, 'attributes', p);
    const parentAttrs = parent !== undefined ? new Set(((setByName.get(String(parent))!.attributes as Obj[]) ?? []).map((a) => (isObj(a) ? a.name : undefined))) : undefined;
    const seen = new Set<string>();
    const values = new Map<number, string>();
    let next = 1;
    attrs.forEach((a, j) => {
      const ap = `${p}.attributes[${j}]`;
      const ao = obj(a, ap);
      const name = str(ao, 'name', ap)!;
      // A subset may list a name twice (the kernel's devlink spec does): the same attribute.
      if (seen.has(name) && !parentAttrs) fail(`${ap}.name`, `attribute '${name}' is defined twice`);
      seen.add(name);
      if (parentAttrs) {
        if (!parentAttrs.has(name)) fail(`${ap}.name`, `'${name}' is not an attribute of '${String(parent)}'`);
      } else {
        if (ao.type === undefined) fail(ap, "'type' is missing");
        const v = int(ao, 'value', ap, 0, 0x3fff);
        const value = v ?? next;
        if (value > 0x3fff) fail(ap, `attribute number ${value} is above 16383`);
        if (values.has(value)) fail(ap, `attribute '${name}' has number ${value}, as '${values.get(value)}' does`);
        values.set(value, name);
        next = value + 1;
      }
      if (ao.type !== undefined) oneOf(ao, 'type', ap, ATTR_TYPES);
      oneOf(ao, 'byte-order', ap, ['big-endian', 'little-endian']);
      oneOf(ao, 'display-hint', ap, DISPLAY_HINTS);
      for (const key of ['nested-attributes', 'struct', 'enum', 'sub-message', 'selector', 'sub-type', 'name-prefix'] as const) {
        if (ao[key] !== undefined && typeof ao[key] !== 'string') fail(`${ap}.${key}`, 'expected a name');
      }
      const nested = ao['nested-attributes'];
      if (nested !== undefined && !setByName.has(String(nested))) fail(`${ap}.nested-attributes`, `no attribute set '${String(nested)}'`);
      if ((ao.type === 'nest' || ao.type === 'nest-type-value') && nested === undefined && !parentAttrs) fail(ap, `a ${ao.type} needs 'nested-attributes'`);
      if (ao.type === 'indexed-array') {
        if (ao['sub-type'] === undefined) fail(ap, "an indexed-array needs 'sub-type'");
        oneOf(ao, 'sub-type', ap, [...INT_TYPES, 'uint', 'sint', 'string', 'binary', 'nest', 'flag']);
        if (ao['sub-type'] === 'nest' && nested === undefined) fail(ap, "an indexed-array of nests needs 'nested-attributes'");
      } else if (ao['sub-type'] !== undefined) oneOf(ao, 'sub-type', ap, INT_TYPES);
      if (ao.struct !== undefined && !defIs(ao.struct, ['struct'])) fail(`${ap}.struct`, `no struct '${String(ao.struct)}' in definitions`);
      if (ao.enum !== undefined && !defIs(ao.enum, ['enum', 'flags'])) fail(`${ap}.enum`, `no enum '${String(ao.enum)}' in definitions`);
      if (ao.type === 'sub-message') {
        if (ao['sub-message'] === undefined) fail(ap, "a sub-message needs 'sub-message'");
        if (!subByName.has(String(ao['sub-message']))) fail(`${ap}.sub-message`, `no sub-message '${String(ao['sub-message'])}'`);
        if (ao.selector === undefined) fail(ap, "a sub-message needs 'selector'");
      }
      if (ao['type-value'] !== undefined && (!Array.isArray(ao['type-value']) || !ao['type-value'].every((x) => typeof x === 'string'))) fail(`${ap}.type-value`, 'expected a list of names');
      if (ao['multi-attr'] !== undefined && typeof ao['multi-attr'] !== 'boolean') fail(`${ap}.multi-attr`, 'expected true or false');
    });
  });
  subs.forEach((m, i) => {
    list(m as Obj, 'formats', `sub-messages[${i}]`).forEach((f, j) => {
      const fp = `sub-messages[${i}].formats[${j}]`;
      const fo = obj(f, fp);
      if (fo.value === undefined || fo.value === null || typeof fo.value === 'object') fail(fp, "'value' is missing");
      fo.value = String(fo.value);
      if (fo['fixed-header'] !== undefined && !defIs(fo['fixed-header'], ['struct'])) fail(`${fp}.fixed-header`, `no struct '${String(fo['fixed-header'])}' in definitions`);
      if (fo['attribute-set'] !== undefined && !setByName.has(String(fo['attribute-set']))) fail(`${fp}.attribute-set`, `no attribute set '${String(fo['attribute-set'])}'`);
    });
  });

  const ops = obj(root.operations ?? fail('', "'operations' is missing"), 'operations');
  names_(ops, 'operations', ['name-prefix', 'async-prefix', 'fixed-header']);
  oneOf(ops, 'enum-model', 'operations', ['unified', 'directional']);
  if (ops['fixed-header'] !== undefined && !defIs(ops['fixed-header'], ['struct'])) fail('operations.fixed-header', `no struct '${String(ops['fixed-header'])}' in definitions`);
  const opList = list(ops, 'list', 'operations');
  const opByName = names(opList, 'operations.list', 'operation');
  opList.forEach((op, i) => {
    const oo = op as Obj;
    const p = `operations.list[${i}]`;
    names_(oo, p, ['attribute-set', 'fixed-header', 'notify', 'mcgrp']);
    int(oo, 'value', p, 0, ops['enum-model'] === 'directional' ? 0xffff : 0xff);
    const set = oo['attribute-set'];
    if (set !== undefined && !setByName.has(String(set))) fail(`${p}.attribute-set`, `no attribute set '${String(set)}'`);
    if (oo['fixed-header'] !== undefined && !defIs(oo['fixed-header'], ['struct'])) fail(`${p}.fixed-header`, `no struct '${String(oo['fixed-header'])}' in definitions`);
    if (oo.notify !== undefined && !opByName.has(String(oo.notify))) fail(`${p}.notify`, `no operation '${String(oo.notify)}'`);
    for (const mode of ['do', 'dump', 'event'] as const) {
      if (oo[mode] === undefined) continue;
      const mo = obj(oo[mode], `${p}.${mode}`);
      const parts = mode === 'event' ? [['', mo]] as [string, Obj][] : (['request', 'reply'] as const).filter((k) => mo[k] !== undefined && mo[k] !== null).map((k) => [`.${k}`, obj(mo[k], `${p}.${mode}.${k}`)] as [string, Obj]);
      for (const [suffix, part] of parts) {
        int(part, 'value', `${p}.${mode}${suffix}`, 0, 0xffff);
        const attrs = list(part, 'attributes', `${p}.${mode}${suffix}`, false);
        attrs.forEach((a, j) => {
          if (typeof a !== 'string') fail(`${p}.${mode}${suffix}.attributes[${j}]`, 'expected an attribute name');
        });
      }
    }
    const isCall = oo.do !== undefined || oo.dump !== undefined;
    if ((isCall || oo.event !== undefined) && set === undefined) fail(p, `operation '${String(oo.name)}' needs 'attribute-set'`);
  });
  if (root['mcast-groups'] !== undefined) {
    const g = obj(root['mcast-groups'], 'mcast-groups');
    const groups = list(g, 'list', 'mcast-groups');
    names(groups, 'mcast-groups.list', 'multicast group');
    groups.forEach((x, i) => {
      int(x as Obj, 'value', `mcast-groups.list[${i}]`, 0, 0xffffffff);
      names_(x as Obj, `mcast-groups.list[${i}]`, ['c-define-name']);
    });
  }
  return root as unknown as RawSpec;
}

/** Parse YAML (or JSON) text and check it: a RawSpec, or one SpecError. Call loadYamlParser() first for YAML. */
export function readSpecText(text: string, file: string): RawSpec {
  let doc: unknown;
  try {
    if (!yaml) {
      // JSON is YAML too, and needs no parser of its own.
      if (!/^\s*[{[]/.test(text)) throw new Error('internal: the YAML parser is not loaded (loadYamlParser)');
      try {
        doc = JSON.parse(text);
      } catch (e) {
        throw new SpecError(file, '(top)', `not JSON: ${(e as Error).message}`);
      }
    } else {
      // Specs share attribute lists through YAML anchors: rt-link has hundreds of aliases.
      doc = yaml.parse(text, { maxAliasCount: 100000, uniqueKeys: false });
    }
  } catch (e) {
    if (e instanceof SpecError) throw e;
    if (yaml && e instanceof yaml.YAMLParseError) {
      const pos = e.linePos?.[0];
      throw new SpecError(file, pos ? `line ${pos.line}, column ${pos.col}` : '(top)', e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''));
    }
    throw new SpecError(file, '(top)', (e as Error).message.split('\n')[0]);
  }
  return checkSpec(doc, file);
}
