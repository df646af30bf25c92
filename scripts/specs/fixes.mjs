// Where a kernel spec disagrees with the uapi header of the same package, the header is what
// the kernel compiles: these corrections bring the tables in line with it, and
// test/unit/spec-uapi.test.ts proves each (it fails on any disagreement left). A fix whose
// spec has been corrected upstream no longer applies, and the generator says so.
export const FIXES = [
  {
    family: 'nlctrl',
    what: 'policy-attrs: the header has NL_POLICY_TYPE_ATTR_PAD = 11 before NL_POLICY_TYPE_ATTR_MASK = 12',
    apply: (spec) => {
      const set = spec['attribute-sets'].find((s) => s.name === 'policy-attrs');
      const mask = set?.attributes.find((a) => a.name === 'mask');
      const pad = set?.attributes.find((a) => a.name === 'pad');
      if (!mask || !pad || mask.value !== undefined || set.attributes.indexOf(mask) > set.attributes.indexOf(pad)) return false;
      mask.value = 12;
      pad.value = 11;
      return true;
    },
  },
  {
    family: 'ovs_flow',
    what: 'action-attrs: OVS_ACTION_ATTR_DROP (24, u32) is missing, so psample is 25',
    apply: (spec) => {
      const set = spec['attribute-sets'].find((s) => s.name === 'action-attrs');
      const i = set?.attributes.findIndex((a) => a.name === 'psample') ?? -1;
      if (i < 0 || set.attributes.some((a) => a.name === 'drop')) return false;
      set.attributes.splice(i, 0, { name: 'drop', type: 'u32' });
      return true;
    },
  },
  {
    family: 'ovs_flow',
    what: 'struct ovs_action_add_mpls: mpls_ethertype is __be16',
    apply: (spec) => {
      const def = spec.definitions?.find((d) => d.name === 'ovs-action-add-mpls');
      const m = def?.members?.find((x) => x.name === 'mpls-ethertype');
      if (!m || m.type !== 'u32') return false;
      m.type = 'u16';
      return true;
    },
  },
];
