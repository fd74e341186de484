// CSRF: double-submit of a value bound to the `communa_csrf` cookie (HttpOnly, SameSite=Lax),
// signed with the server secret so the form field cannot be forged from the cookie alone.
import crypto from "node:crypto";

export const CSRF_COOKIE = "communa_csrf";
export const CSRF_FIELD = "csrf";

export function serverSecret(): string {
  const secret = process.env.SESSION_SECRET;
  if (!secret || secret.length < 32) throw new Error("SESSION_SECRET must be set (at least 32 characters)");
  return secret;
}

export function csrfTokenFor(seed: string): string {
  return crypto.createHmac("sha256", serverSecret()).update("csrf:" + seed).digest("base64url");
}

export function isValidCsrf(seed: string | undefined, submitted: unknown): boolean {
  if (!seed || typeof submitted !== "string" || submitted.length === 0) return false;
  const expected = Buffer.from(csrfTokenFor(seed));
  const given = Buffer.from(submitted);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}
