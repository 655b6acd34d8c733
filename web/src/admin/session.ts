// The operator's token for this browser tab (sessionStorage: gone when the tab closes), and what it says about
// them. The claims are read only to label the page and hide what the role cannot do; the server checks the token.
const KEY = 'storepulse.admin.token';

export interface Claims {
  sub: string;
  role: string;
  exp: number;
}

export function readClaims(token: string): Claims | null {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(payload)) as Partial<Claims>;
    return typeof claims.role === 'string' && typeof claims.sub === 'string' && typeof claims.exp === 'number' ? (claims as Claims) : null;
  } catch {
    return null;
  }
}

export const session = {
  token: (): string | null => sessionStorage.getItem(KEY),
  claims(): Claims | null {
    const t = sessionStorage.getItem(KEY);
    return t ? readClaims(t) : null;
  },
  signIn: (token: string) => sessionStorage.setItem(KEY, token),
  signOut: () => sessionStorage.removeItem(KEY),
};
