import type { CommandContext } from '../cli.js';
export async function run(_c: CommandContext): Promise<void> {}
