// Where the kernel's `make -C tools/net/ynl install` puts the specs: the end of the loader's
// search path. A module of its own so that the CLI can see whether any exist without loading
// the loader and its tables at every start.
export const SYSTEM_SPEC_DIRS = ['/usr/local/share/ynl/specs', '/usr/share/ynl/specs'];
