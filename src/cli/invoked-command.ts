// Which command a command line runs, before the commands are registered: the first word that is neither an
// option nor the value of a program option that takes one (`--home run kpis` runs kpis, in the folder "run").
import type { Command } from 'commander';

export function invokedCommand(program: Command, args: readonly string[], names: readonly string[]): string | undefined {
  const takesValue = new Set(program.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short]).filter(Boolean));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') return undefined;
    if (arg.startsWith('-')) {
      if (!arg.includes('=') && takesValue.has(arg)) i++;
      continue;
    }
    return names.includes(arg) ? arg : undefined;
  }
  return undefined;
}
