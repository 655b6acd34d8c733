// The roles a token can carry, and which of them may see personal data in clear.
export const ROLES = ['admin', 'editor', 'analyst', 'support', 'customer'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Who sees emails and names in clear. Analysts and editors work with tokens (HMAC of the value), which still
 * count, join and deduplicate; support needs to talk to the person, and admins carry out erasure requests.
 */
export const SEES_PERSONAL_DATA: readonly Role[] = ['admin', 'support'];

export function seesPersonalData(role: Role): boolean {
  return SEES_PERSONAL_DATA.includes(role);
}
