#!/usr/bin/env python3
"""Checks of the devlink scenarios in the test VM (test/vm/devlink.sh).

    devlink_check.py values DIR HEADER UAPI     nlctl -j dumps DIR/dl-OP.json hold the module's values
    devlink_check.py params FILE UAPI NAME=V..  a param-get dump holds these values (runtime cmode)
    devlink_check.py named FILE UAPI            nlctl -j decode of the capture: every attribute named
    devlink_check.py ynl NLCTL YNL              every key and value YNL printed, nlctl printed too

The expected values come from the module's header (kmod/nltest_devlink.h), attribute numbers
from the kernel's uapi <linux/devlink.h>, never from nlctl. Only the standard library is used.
"""
import json
import re
import sys
from vmcheck import Fail, expect



def load(path):
    with open(path) as f:
        text = f.read()
    try:
        return json.loads(text)
    except ValueError:
        # ndjson: one object a line
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def as_list(v):
    return v if isinstance(v, list) else [v]


def header_values(path):
    """#define NLTEST_DEVLINK_X "text" | number, as a dict X -> value."""
    out = {}
    with open(path) as f:
        for m in re.finditer(r'^#define\s+NLTEST_DEVLINK_(\w+)\s+("([^"]*)"|(\d+))', f.read(), re.M):
            out[m.group(1)] = m.group(3) if m.group(3) is not None else int(m.group(4))
    return out


def c_enum(path, name):
    """The members of `enum NAME { ... }` in a C header, with their values."""
    with open(path) as f:
        text = re.sub(r'/\*.*?\*/', '', f.read(), flags=re.S)
    m = re.search(r'enum\s+%s\s*\{(.*?)\};' % name, text, re.S)
    expect(m, "%s: no enum %s" % (path, name))
    out, nxt = {}, 0
    for item in m.group(1).split(','):
        item = re.sub(r'^\s*#.*$', '', item, flags=re.M).strip()
        if not item:
            continue
        key, _, val = (s.strip() for s in item.partition('='))
        if val:
            try:
                nxt = out[val] if val in out else int(val, 0)
            except ValueError:
                continue  # __X_MAX - 1 and the like: not an attribute
        out[key] = nxt
        nxt += 1
    return out


def attrs_of(raw):
    """Netlink attributes of bytes: [(type, payload)]."""
    out, off = [], 0
    while off + 4 <= len(raw):
        ln = int.from_bytes(raw[off:off + 2], 'little')
        typ = int.from_bytes(raw[off + 2:off + 4], 'little') & 0x3fff
        expect(4 <= ln <= len(raw) - off, "attribute at %d: length %d in %d bytes" % (off, ln, len(raw)))
        out.append((typ, raw[off + 4:off + ln]))
        off += (ln + 3) & ~3
    return out


def param_values(param, uapi):
    """{cmode: value} of one "param" object of nlctl -j: the value list by name if nlctl knows
    it, else its bytes (a hex string under the unnamed attribute) decoded here by the uapi numbers."""
    a = c_enum(uapi, 'devlink_attr')
    cmodes = {v: k[len('DEVLINK_PARAM_CMODE_'):].lower() for k, v in c_enum(uapi, 'devlink_param_cmode').items()}
    ptype = param.get('param-type')
    named = param.get('param-values-list')
    if named is not None:
        out = {}
        for v in as_list(named.get('param-value', named) if isinstance(named, dict) else named):
            data = v.get('param-value-data', False if ptype == 'flag' else None)
            out[v.get('param-value-cmode')] = data
        return out
    hexes = [v for k, v in param.items() if k.startswith('UnknownAttr(%d)' % a['DEVLINK_ATTR_PARAM_VALUES_LIST'])]
    expect(len(hexes) == 1, "param %s: no value list in %s" % (param.get('param-name'), sorted(param)))
    out = {}
    for typ, body in attrs_of(bytes.fromhex(hexes[0])):
        expect(typ == a['DEVLINK_ATTR_PARAM_VALUE'], "value list holds attribute %d" % typ)
        inner = dict(attrs_of(body))
        cmode = cmodes[inner[a['DEVLINK_ATTR_PARAM_VALUE_CMODE']][0]]
        data = inner.get(a['DEVLINK_ATTR_PARAM_VALUE_DATA'])
        if ptype == 'flag':
            out[cmode] = data is not None
        elif ptype == 'u32':
            out[cmode] = int.from_bytes(data, 'little')
        else:
            raise Fail("param type %r not handled" % ptype)
    return out


def ours(objs, what):
    mine = [o for o in as_list(objs) if o.get('bus-name') == 'platform' and o.get('dev-name') == 'nlctl_test']
    expect(len(mine) >= 1, "%s: no object of platform/nlctl_test in %s" % (what, json.dumps(objs)[:300]))
    return mine


def versions(obj, key):
    return {v['info-version-name']: v['info-version-value'] for v in as_list(obj.get(key, []))}


def check_params(objs, uapi, want):
    got = {}
    for o in ours(objs, 'param-get'):
        p = o['param']
        got[p['param-name']] = (p['param-type'], param_values(p, uapi))
    for name, (ptype, value) in want.items():
        expect(name in got, "param %s missing: %s" % (name, sorted(got)))
        expect(got[name] == (ptype, {'runtime': value}), "param %s: %r, expected %r" % (name, got[name], (ptype, {'runtime': value})))
        print("  param %s (%s) = %r" % (name, ptype, value))


def values(d, header, uapi):
    h = header_values(header)
    dev = ours(load('%s/dl-get.json' % d), 'get')
    expect(len(dev) == 1, "get: %d instances named platform/nlctl_test" % len(dev))
    info = ours(load('%s/dl-info-get.json' % d), 'info-get')[0]
    expect(info.get('info-driver-name') == 'netlink_test', "driver name %r" % info.get('info-driver-name'))
    expect(info.get('info-serial-number') == h['SERIAL'], "serial %r" % info.get('info-serial-number'))
    expect(versions(info, 'info-version-fixed') == {'asic.id': h['ASIC_ID']}, "fixed versions %r" % versions(info, 'info-version-fixed'))
    expect(versions(info, 'info-version-running') == {'fw': h['FW_RUNNING']}, "running versions %r" % versions(info, 'info-version-running'))
    expect(versions(info, 'info-version-stored') == {'fw': h['FW_STORED']}, "stored versions %r" % versions(info, 'info-version-stored'))
    print("  info: driver %s, serial %s, fw %s running / %s stored" % (
        info['info-driver-name'], info['info-serial-number'], h['FW_RUNNING'], h['FW_STORED']))
    check_params(load('%s/dl-param-get.json' % d), uapi, {
        h['PARAM_FAST_PATH']: ('flag', True),
        h['PARAM_QUEUE']: ('u32', h['QUEUE_DEFAULT']),
    })
    port = ours(load('%s/dl-port-get.json' % d), 'port-get')
    expect(len(port) == 1, "port-get: %d ports" % len(port))
    p = port[0]
    expect((p.get('port-index'), p.get('port-flavour'), p.get('port-number')) == (h['PORT_INDEX'], 'physical', 1),
           "port %r" % p)
    print("  port %d: %s, number %d, type %s" % (p['port-index'], p['port-flavour'], p['port-number'], p.get('port-type')))
    rep = ours(load('%s/dl-health-reporter-get.json' % d), 'health-reporter-get')
    names = [r['health-reporter']['health-reporter-name'] for r in rep]
    expect(names == [h['REPORTER']], "health reporters %r" % names)
    print("  health reporter %s" % names[0])


def named(path, uapi):
    """Every attribute of every decoded message has a name, but the param value list (no
    spec has it: devlink.yaml says "TODO: fill in the attribute param-value-list")."""
    a = c_enum(uapi, 'devlink_attr')
    msgs = as_list(load(path))
    unnamed, gaps, n, params = [], 0, 0, 0

    def walk(attrs, path):
        nonlocal gaps, n, params
        for x in attrs or []:
            n += 1
            params += x.get('name') == 'DEVLINK_ATTR_PARAM'
            where = '%s/%s' % (path, x.get('name', x.get('type')))
            if not x.get('name'):
                if path.endswith('/DEVLINK_ATTR_PARAM') and x.get('type') == a['DEVLINK_ATTR_PARAM_VALUES_LIST']:
                    gaps += 1
                    continue
                unnamed.append(where)
            walk(x.get('attrs'), where)

    ops = {}
    for m in msgs:
        key = '%s %s' % (m.get('family') or m.get('protocol'), m.get('op') or m.get('type_name'))
        ops[key] = ops.get(key, 0) + 1
        expect(not m.get('diagnostics'), "%s: diagnostics %r" % (key, m.get('diagnostics')))
        walk(m.get('attrs'), m.get('type_name') or str(m.get('type')))
    expect(not unnamed, "attributes without a name: %s" % ', '.join(unnamed[:20]))
    for op in ('get', 'info-get', 'param-get', 'health-reporter-get'):
        expect(ops.get('devlink %s' % op, 0) >= 2, "no %s request and reply among %s" % (op, ops))
    expect(any(k.startswith('nlctrl ') for k in ops), "no family lookup (nlctrl) in the capture: %s" % ops)
    expect(params == 2 and gaps == params, "%d unnamed param value lists in %d params, expected 2 in 2" % (gaps, params))
    print("  %d messages, %d attributes named; unnamed only the %d param value lists" % (len(msgs), n - gaps, gaps))
    print("  " + ', '.join('%s x%d' % kv for kv in sorted(ops.items())))


def contains(got, want, path):
    """want (YNL's) is in got (nlctl's): every key, same values; lists element by element."""
    if isinstance(want, dict):
        expect(isinstance(got, dict), "%s: nlctl has %r, YNL an object" % (path, got))
        for k, v in want.items():
            expect(k in got, "%s: nlctl lacks %r (YNL: %r)" % (path, k, v))
            contains(got[k], v, '%s.%s' % (path, k))
    elif isinstance(want, list):
        expect(isinstance(got, list) and len(got) == len(want), "%s: nlctl %r, YNL %r" % (path, got, want))
        for i, (g, w) in enumerate(zip(got, want)):
            contains(g, w, '%s[%d]' % (path, i))
    else:
        expect(got == want, "%s: nlctl %r, YNL %r" % (path, got, want))


def ynl(nlctl_path, ynl_path):
    got, want = as_list(load(nlctl_path)), as_list(load(ynl_path))
    expect(want, "YNL printed nothing (%s)" % ynl_path)
    contains(got, want, nlctl_path.rsplit('/', 1)[-1])
    keys = sum(len(json.dumps(w)) for w in want)
    print("  %s: %d object(s), all of YNL's keys and values (%d bytes of JSON) in nlctl's" % (
        ynl_path.rsplit('/', 1)[-1], len(want), keys))


def main(argv):
    cmd, args = argv[1], argv[2:]
    try:
        if cmd == 'values':
            values(*args)
        elif cmd == 'params':
            want = {}
            for kv in args[2:]:
                k, v = kv.split('=')
                want[k] = ('flag', v == 'true') if v in ('true', 'false') else ('u32', int(v))
            check_params(load(args[0]), args[1], want)
        elif cmd == 'named':
            named(*args)
        elif cmd == 'ynl':
            ynl(*args)
        else:
            raise Fail("unknown check %s" % cmd)
    except Fail as e:
        print("FAIL: %s" % e)
        return 1
    except (OSError, KeyError, ValueError, IndexError, TypeError) as e:
        print("FAIL: %s: %s" % (type(e).__name__, e))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
