// YNL specs (the kernel's Documentation/netlink/specs/*.yaml) read into nlctl's one schema
// vocabulary. The API, kept stable:
//
//   readSpecText(text, file) → RawSpec     parse YAML/JSON and check it; a bad spec throws one
//                                          SpecError { file, path, problem } ("file: path: problem")
//   checkSpec(doc, file) → RawSpec         the same check on an already parsed document
//   stripSpec(raw) → RawSpec               facts only (no doc text, no kernel policy): the built-in tables
//   compileSpec(raw, source) → SpecFamily  { name, protocol, protonum, version, schema, ops, groups,
//                                          fixedHeader, cNames }: `schema` is a Schema (types.ts) whose
//                                          attribute sets are keyed by spec name, structs by C name;
//                                          every AttrDef has its C name (`name`) and spec name (`spec`);
//                                          netlink-raw families also get `schema.messages` by type
//   specFamily(name) → SpecFamily?         --spec files, then NLCTL_SPEC_PATH and the system's spec
//                                          directories, then the built-in tables; compiled once, lazily
//   configureSpecs(files, env)             set the --spec files and the search path
//   listSpecFamilies(), rawFamiliesOf(protonum), loadSpecFile(file), builtinVersion()
//   C naming rules (names.ts): cUpper, cLower, attrSetPrefix, enumPrefix, opPrefix, …
export * from './spec.js';
export * from './compile.js';
export * from './names.js';
export * from './loader.js';
export { familyCacheFile, familyCacheText, setFamilyCacheId } from './family-cache.js';
export { builtinIndex, builtinFile, type BuiltinIndex } from './builtin.js';
