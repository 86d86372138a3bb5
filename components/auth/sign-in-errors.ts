/**
 * next-auth reports a rejected credentials sign-in as "CredentialsSignin" and passes the
 * message of an error thrown in authorize() through as is (rate limits, suspension); those
 * messages are written to be shown.
 */
const MESSAGES: Record<string, string> = {
  CredentialsSignin: "That email and password do not match an account.",
  SessionRequired: "Please sign in to see that page.",
  AccessDenied: "This account may not sign in.",
  Configuration: "Sign-in is not available right now. Please try again later.",
  Default: "Sign-in failed. Please try again.",
};

export function signInErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  const known = MESSAGES[code];
  if (known) return known;
  if (/^[A-Z][A-Za-z]+$/.test(code)) return MESSAGES.Default ?? null;
  return code.length <= 200 ? code : (MESSAGES.Default ?? null);
}
