import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { invokedCommand } from '../../src/cli/invoked-command.js';

const names = ['run', 'runs', 'kpis', 'mapping'];
const program = () => new Command('storepulse').option('--home <dir>').option('--wait <seconds>', '', '0').option('--verbose').option('-w, --warehouse <url>');
const invoked = (...args: string[]) => invokedCommand(program(), args, names);

describe('invokedCommand', () => {
  it('is the first word that is not an option', () => {
    expect(invoked('run', '--quiet')).toBe('run');
    expect(invoked('--verbose', 'kpis', '--by', 'channel')).toBe('kpis');
    expect(invoked('mapping', 'list')).toBe('mapping');
  });

  it('skips the values of program options that take one, in either spelling', () => {
    expect(invoked('--home', 'run', 'kpis')).toBe('kpis');
    expect(invoked('-w', 'runs', '--wait', '5', 'run')).toBe('run');
    expect(invoked('--home=run', 'runs')).toBe('runs');
  });

  it('is none for a bare program, its help, a mistyped command or what follows --', () => {
    expect(invoked()).toBeUndefined();
    expect(invoked('--help')).toBeUndefined();
    expect(invoked('help', 'run')).toBeUndefined();
    expect(invoked('runn')).toBeUndefined();
    expect(invoked('--', 'run')).toBeUndefined();
  });
});
