import type { Command } from 'commander';
import { ROLES, type Role } from '../../auth/roles.js';
import { TokenService } from '../../auth/tokens.js';
import { JWT_SECRET, resolveSecret } from '../../home/secrets.js';
import { action, operatorName, settingsOf } from '../context.js';

interface TokenCli { role: Role; customer?: string; subject?: string; expires: string; json?: boolean }

export function registerToken(program: Command): void {
  program.command('token')
    .description(`Print a signed access token (JWT) for the API, with one role (${ROLES.join(', ')}); a customer token carries its customer_id. ` +
      'Signed with STOREPULSE_JWT_SECRET, else with <home>/secrets/jwt.key (created on first use); `serve` must use the same key.')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--customer <id>', 'the customer_id a customer token is for (role customer only)')
    .option('--subject <name>', 'who the token is for, as logs and edit sources name them (default: your user name; a customer token: the customer_id)')
    .option('--expires <duration>', 'how long it is valid: 30m, 8h, 7d', '8h')
    .option('--json', 'print {"token","role","sub","customer_id","expires_at"}')
    .addHelpText('after', '\nUse it as: curl -H "Authorization: Bearer $(storepulse token --role analyst)" http://127.0.0.1:8080/api/admin/products')
    .action(action(async (opts: TokenCli, cmd: Command) => {
      const settings = settingsOf(cmd);
      const tokens = new TokenService(resolveSecret(JWT_SECRET, settings.home));
      const subject = opts.subject ?? (opts.role === 'customer' ? opts.customer : operatorName());
      const issued = await tokens.issue({ role: opts.role, customerId: opts.customer, subject, expiresIn: opts.expires });
      process.stdout.write(opts.json ? JSON.stringify(issued) + '\n' : issued.token + '\n');
    }));
}
