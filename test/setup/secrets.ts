// Every test process gets its own random privacy key (unless one is set), so library calls that run the
// pipeline tokenise personal data as the CLI does, and the CLI processes a test starts inherit the same key.
import { randomBytes } from 'node:crypto';

process.env.STOREPULSE_PII_SECRET ||= randomBytes(32).toString('hex');
