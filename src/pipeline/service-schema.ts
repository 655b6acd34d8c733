// Tables the service writes itself, beside the pipeline's layers: what customers chose (reminder preferences),
// which rejects were corrected and re-submitted, and the audit of erasure requests.
import { RESUBMISSIONS_DDL } from '../admin/reject-resubmit.js';
import { REMINDERS_DDL } from '../customers/reminder-preferences.js';
import { ERASURES_DDL } from '../privacy/erase-customer.js';

export const SERVICE_DDL: readonly string[] = ['CREATE SCHEMA IF NOT EXISTS app', REMINDERS_DDL, RESUBMISSIONS_DDL, ERASURES_DDL];
