import type { Command } from 'commander';
import { Errors } from '../../errors/catalogue.js';
import { defaultConfigPath, formatDuration, loadAlertsConfig, resolveAlertsConfigPath } from '../../ops/alerts/config.js';
import type { RuleResult } from '../../ops/alerts/rules.js';
import { AlertService } from '../../ops/alerts/service.js';
import { statePath } from '../../ops/alerts/state.js';
import { createLogger } from '../../ops/logger.js';
import { formatNumber, table } from '../format.js';
import { action, settingsOf, withWarehouse } from '../context.js';

const EXAMPLE = `
The config (YAML or JSON; default <home>/alerts.yaml, or --config FILE, or env STOREPULSE_ALERTS):

  webhook: https://hooks.slack.com/services/…   # env STOREPULSE_ALERT_WEBHOOK takes precedence
  freshness:            # newest landed data older than this, or landed data waiting unprocessed longer
    orders: 5m
    events: 2m
  kpis:                 # over all data; ratios are fractions (2 % is 0.02)
    conversion_rate: { below: 0.02 }
    return_rate: { above: 0.15 }
  pipeline:
    late_after: 2m      # data waiting and no successful run for longer than this
  evaluate_every: 5s    # in serve (also after every micro-batch); default 5s
  webhook_timeout: 5s   # per post; a failed post is retried 3 times with back-off, then after the next evaluation

Durations: 250ms, 30s, 5m, 1h, 1h30m, 2d. \`storepulse serve\` evaluates the rules continuously, posts each
breach once when it starts and once when it clears (Slack-compatible JSON: "text" plus an "alert" object),
keeps the breach state in <home>/alerts-state.json, and shows the active alerts on the dashboard and at
GET /api/alerts.

Exit code 1 when a rule is breached, 2 when the config is invalid.`;

function shown(r: RuleResult, v: number | null): string {
  if (v === null) return '';
  return r.unit === 'ms' ? formatDuration(v) : formatNumber(v);
}

export function registerAlerts(program: Command): void {
  program.command('alerts')
    .description('Evaluate the alert rules (freshness SLAs, KPI thresholds, pipeline lateness) once against the warehouse and print each rule\'s state; posts nothing unless --notify.')
    .option('--config <file>', 'the alerts config (default: env STOREPULSE_ALERTS, else <home>/alerts.yaml)')
    .option('--notify', 'post breaches and recoveries to the webhook, once each, sharing the breach state of `serve` (<home>/alerts-state.json)')
    .option('--json', 'print JSON')
    .addHelpText('after', EXAMPLE)
    .action(action(async (opts: { config?: string; notify?: boolean; json?: boolean }, cmd: Command) => {
      const settings = settingsOf(cmd);
      const file = resolveAlertsConfigPath(settings.home, opts.config);
      if (!file) throw Errors.badConfig(defaultConfigPath(settings.home), '', 'no such file: write one (see `storepulse alerts --help`) or pass --config FILE');
      // Without --notify nothing changes state, so "alert firing" lines would only repeat the table.
      const logger = createLogger(process.env.STOREPULSE_LOG_LEVEL ?? (opts.notify ? 'warn' : 'error'));
      // The config is checked before the warehouse opens, so a mistake is reported even when it is busy.
      loadAlertsConfig(file);
      const view = await withWarehouse(settings, async (wh) => {
        const service = new AlertService({ wh, configFile: file, stateFile: opts.notify ? statePath(settings.home) : null, logger, notify: Boolean(opts.notify) });
        await service.evaluateNow();
        await service.idle();
        return service.view();
      });
      if (opts.json) {
        process.stdout.write(JSON.stringify({ config: view.config, evaluated_at: view.evaluated_at, notifying: view.notifying, rules: view.rules, undelivered: view.undelivered }) + '\n');
      } else {
        process.stdout.write(table(view.rules.map((r) => ({
          rule: r.rule, state: r.state, value: shown(r, r.value), threshold: shown(r, r.threshold), message: r.message,
        }))));
        const breached = view.rules.filter((r) => r.state === 'breached').length;
        process.stdout.write(`\n${view.rules.length} rule${view.rules.length === 1 ? '' : 's'}, ${breached} breached (${file}).\n`);
        if (opts.notify) process.stdout.write(view.undelivered ? `${view.undelivered} notification(s) could not be delivered; they are retried next time.\n` : 'Notifications delivered.\n');
      }
      if (view.rules.some((r) => r.state === 'breached')) process.exitCode = 1;
      if (opts.notify && view.undelivered > 0) process.exitCode = 1;
    }));
}
