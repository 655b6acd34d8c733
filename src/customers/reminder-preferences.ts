// How and when a customer wants reminders: channels, quiet hours (local time, in their time zone) and cadence.
// These are the customer's own settings, not data derived from the shop's feeds, so they are kept in a table the
// service writes itself (app.reminder_preferences) rather than in gold; erasure removes them with the rest.
import { Errors } from '../errors/catalogue.js';
import type { Warehouse } from '../warehouse/engine.js';

export const REMINDER_CHANNELS = ['email', 'sms', 'push'] as const;
export const REMINDER_CADENCES = ['immediately', 'daily', 'weekly', 'monthly', 'never'] as const;

export const REMINDERS_DDL = `CREATE TABLE IF NOT EXISTS app.reminder_preferences (
  customer_id VARCHAR PRIMARY KEY,
  channels VARCHAR NOT NULL,
  quiet_start VARCHAR,
  quiet_end VARCHAR,
  timezone VARCHAR,
  cadence VARCHAR NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  updated_by VARCHAR NOT NULL
)`;

export interface ReminderPreferences {
  channels: (typeof REMINDER_CHANNELS)[number][];
  quiet_hours: { start: string; end: string; timezone: string } | null;
  cadence: (typeof REMINDER_CADENCES)[number];
}

/** What a customer who never chose gets: a weekly email, no quiet hours. */
const DEFAULTS: ReminderPreferences = { channels: ['email'], quiet_hours: null, cadence: 'weekly' };

const HH_MM = '^([01][0-9]|2[0-3]):[0-5][0-9]$';

/** The PUT body's JSON Schema (the route validates with it; the OpenAPI document shows it). */
export const REMINDERS_BODY = {
  type: 'object', additionalProperties: false, required: ['channels', 'cadence'],
  properties: {
    channels: { type: 'array', uniqueItems: true, maxItems: REMINDER_CHANNELS.length, items: { type: 'string', enum: [...REMINDER_CHANNELS] } },
    quiet_hours: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object', additionalProperties: false, required: ['start', 'end', 'timezone'],
          properties: {
            start: { type: 'string', pattern: HH_MM, description: 'local time HH:MM when reminders stop' },
            end: { type: 'string', pattern: HH_MM, description: 'local time HH:MM when they may start again' },
            timezone: { type: 'string', minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Berlin' },
          },
        },
      ],
    },
    cadence: { type: 'string', enum: [...REMINDER_CADENCES] },
  },
} as const;

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

interface Row { channels: string; quiet_start: string | null; quiet_end: string | null; timezone: string | null; cadence: string; updated_at: string; updated_by: string }

export async function readReminders(wh: Warehouse, customerId: string) {
  const [row] = await wh.read<Row>('SELECT * FROM app.reminder_preferences WHERE customer_id = $1', [customerId]);
  if (!row) return { customer_id: customerId, ...DEFAULTS, is_default: true, updated_at: null };
  return {
    customer_id: customerId,
    channels: row.channels === '' ? [] : row.channels.split(','),
    quiet_hours: row.quiet_start && row.quiet_end && row.timezone ? { start: row.quiet_start, end: row.quiet_end, timezone: row.timezone } : null,
    cadence: row.cadence,
    is_default: false,
    updated_at: row.updated_at,
  };
}

export async function writeReminders(wh: Warehouse, customerId: string, prefs: ReminderPreferences, updatedBy: string) {
  if (prefs.quiet_hours && !validTimeZone(prefs.quiet_hours.timezone)) {
    throw Errors.badRequest(`quiet_hours.timezone "${prefs.quiet_hours.timezone}" is not a time zone; use an IANA name such as Europe/Berlin.`);
  }
  const channels = [...prefs.channels].sort().join(',');
  const q = prefs.quiet_hours;
  // A writer of its own, beside any running micro-batch: the preference is not pipeline data and must not wait for it.
  await wh.landing('reminder preferences', 30_000, (w) => w.transaction(async () => {
    await w.run('DELETE FROM app.reminder_preferences WHERE customer_id = $1', [customerId]);
    await w.run(`INSERT INTO app.reminder_preferences (customer_id, channels, quiet_start, quiet_end, timezone, cadence, updated_at, updated_by)
      VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS TIMESTAMPTZ), $8)`,
    [customerId, channels, q?.start ?? null, q?.end ?? null, q?.timezone ?? null, prefs.cadence, new Date().toISOString(), updatedBy]);
  }));
  return readReminders(wh, customerId);
}
