// TOTP codes and recovery codes, against RFC 6238's own test vector and the real database.
import { createTestTenant } from "../../../db/test/helpers";
import { closeDatabase, withTenant } from "../db/db.server";
import { signedInUser } from "../permissions/testing";
import {
  checkTotpCode,
  confirmTotpEnrolment,
  currentStep,
  currentTotpCode,
  groupedSecret,
  newTotpSecret,
  qrCodeDataUri,
  RECOVERY_CODE_COUNT,
  startTotpEnrolment,
  totpAuthUri,
  totpStatus,
  useSecondFactor,
} from "./totp.server";

// RFC 6238 appendix B: the SHA-1 seed "12345678901234567890" (ASCII), in base32.
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const STEP_MS = 30_000;

afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => {
  await closeDatabase();
});

/** Only the clock is faked: the database driver's timers keep running. */
function at(ms: number) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(ms);
}

async function codeAt(secret: string, ms: number) {
  const now = Date.now();
  vi.setSystemTime(ms);
  const code = await currentTotpCode(secret);
  vi.setSystemTime(now);
  return code;
}

describe("TOTP codes", () => {
  it("matches RFC 6238's test vectors (last 6 digits of the 8-digit values)", async () => {
    at(59_000);
    expect(await checkTotpCode(RFC_SECRET, "287082", null)).toEqual({ ok: true, step: 1 });
    at(1_111_111_109_000);
    expect(await checkTotpCode(RFC_SECRET, "081804", null)).toEqual({ ok: true, step: currentStep() });
    at(2_000_000_000_000);
    expect(await checkTotpCode(RFC_SECRET, "279037", null)).toEqual({ ok: true, step: currentStep() });
  });

  it("refuses a wrong code, a malformed one and a code for another secret", async () => {
    at(1_700_000_000_000);
    const secret = newTotpSecret();
    const right = await currentTotpCode(secret);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, "0");
    expect(await checkTotpCode(secret, wrong, null)).toEqual({ ok: false, reason: "invalid" });
    for (const input of ["", "12345", "1234567", "abcdef", `${right}0`]) {
      expect(await checkTotpCode(secret, input, null)).toEqual({ ok: false, reason: "invalid" });
    }
    expect((await checkTotpCode(newTotpSecret(), right, null)).ok).toBe(false);
    // Spaces typed in the middle are ignored.
    expect(await checkTotpCode(secret, `${right.slice(0, 3)} ${right.slice(3)}`, null)).toEqual({ ok: true, step: currentStep() });
  });

  it("accepts the codes of one step before and after (clock drift), not two", async () => {
    const now = 1_700_000_000_000;
    at(now);
    const secret = newTotpSecret();
    const step = currentStep();
    expect(await checkTotpCode(secret, await codeAt(secret, now - STEP_MS), null)).toEqual({ ok: true, step: step - 1 });
    expect(await checkTotpCode(secret, await codeAt(secret, now + STEP_MS), null)).toEqual({ ok: true, step: step + 1 });
    expect((await checkTotpCode(secret, await codeAt(secret, now - 2 * STEP_MS), null)).ok).toBe(false);
    expect((await checkTotpCode(secret, await codeAt(secret, now + 2 * STEP_MS), null)).ok).toBe(false);
  });

  it("refuses a code of the step already used, or of an earlier one (replay)", async () => {
    const now = 1_700_000_000_000;
    at(now);
    const secret = newTotpSecret();
    const code = await currentTotpCode(secret);
    const first = await checkTotpCode(secret, code, null);
    if (!first.ok) throw new Error("the current code must pass");
    expect(await checkTotpCode(secret, code, first.step)).toEqual({ ok: false, reason: "replayed" });
    expect(await checkTotpCode(secret, await codeAt(secret, now - STEP_MS), first.step)).toEqual({ ok: false, reason: "replayed" });
    expect(await checkTotpCode(secret, code, first.step - 1)).toEqual({ ok: true, step: first.step });
  });
});

describe("secrets and QR codes", () => {
  it("makes 160-bit base32 secrets, different every time, shown in groups of four", () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    expect(groupedSecret("ABCDEFGHIJKLMNOPQR")).toBe("ABCD EFGH IJKL MNOP QR");
  });

  it("names the town and the account in the otpauth URI, and draws its QR code without inline style", () => {
    const uri = totpAuthUri(RFC_SECRET, "Communa – Libercourt", "mairie@libercourt.example.org");
    expect(uri.startsWith("otpauth://totp/Communa%20%E2%80%93%20Libercourt:mairie%40libercourt.example.org?")).toBe(true);
    const params = new URL(uri).searchParams;
    expect(params.get("secret")).toBe(RFC_SECRET);
    expect(params.get("issuer")).toBe("Communa – Libercourt");
    expect(params.get("digits")).toBe("6");
    expect(params.get("period")).toBe("30");
    const dataUri = qrCodeDataUri(uri);
    expect(dataUri.startsWith("data:image/svg+xml;base64,")).toBe(true);
    const svg = Buffer.from(dataUri.split(",")[1], "base64").toString("utf8");
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).not.toMatch(/style\s*=/i);
    expect(svg).not.toMatch(/<script/i);
  });
});

describe("enrolment and second factors, in the database", () => {
  async function enrolled() {
    const tenant = await createTestTenant();
    const user = await signedInUser(tenant, [{ role: "resident" }]);
    const secret = await withTenant(tenant.id, (tx) => startTotpEnrolment(tx, user.id));
    if (!secret) throw new Error("enrolment did not start");
    const result = await withTenant(tenant.id, async (tx) => confirmTotpEnrolment(tx, tenant.id, user.id, await currentTotpCode(secret)));
    if (!result.ok) throw new Error(`enrolment failed: ${result.reason}`);
    return { tenant, user, secret, recoveryCodes: result.recoveryCodes };
  }

  it("keeps the secret unconfirmed until a right code, then stores only hashes of the recovery codes", async () => {
    const tenant = await createTestTenant();
    const user = await signedInUser(tenant, [{ role: "resident" }]);
    const secret = await withTenant(tenant.id, (tx) => startTotpEnrolment(tx, user.id));
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await withTenant(tenant.id, (tx) => totpStatus(tx, user.id))).toEqual({ enabledAt: null, pendingSecret: secret, recoveryCodesLeft: 0 });
    const wrong = await withTenant(tenant.id, (tx) => confirmTotpEnrolment(tx, tenant.id, user.id, "000000"));
    expect(wrong.ok).toBe(false);
    expect((await withTenant(tenant.id, (tx) => totpStatus(tx, user.id))).enabledAt).toBeNull();

    const right = await withTenant(tenant.id, async (tx) => confirmTotpEnrolment(tx, tenant.id, user.id, await currentTotpCode(secret!)));
    if (!right.ok) throw new Error("a right code must enable it");
    expect(right.recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(right.recoveryCodes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of right.recoveryCodes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    const status = await withTenant(tenant.id, (tx) => totpStatus(tx, user.id));
    expect(status.enabledAt).toBeInstanceOf(Date);
    expect(status.pendingSecret).toBeNull();
    expect(status.recoveryCodesLeft).toBe(RECOVERY_CODE_COUNT);
    const stored = await withTenant(tenant.id, (tx) => tx.selectFrom("user_recovery_codes").select("code_hash").execute());
    const storedText = JSON.stringify(stored);
    for (const code of right.recoveryCodes) expect(storedText).not.toContain(code.replace("-", ""));

    // Already on: a new enrolment does not replace the secret in use.
    expect(await withTenant(tenant.id, (tx) => startTotpEnrolment(tx, user.id))).toBeNull();
  });

  it("spends each code once: the enrolment's code cannot sign in, the next step's can", async () => {
    const now = Date.now();
    at(now);
    const { tenant, user, secret } = await enrolled();
    const sameCode = await currentTotpCode(secret);
    expect(await withTenant(tenant.id, (tx) => useSecondFactor(tx, user.id, sameCode))).toEqual({ ok: false, reason: "replayed" });
    vi.setSystemTime(now + STEP_MS);
    const next = await currentTotpCode(secret);
    expect(await withTenant(tenant.id, (tx) => useSecondFactor(tx, user.id, next))).toEqual({ ok: true, method: "totp" });
    expect(await withTenant(tenant.id, (tx) => useSecondFactor(tx, user.id, next))).toEqual({ ok: false, reason: "replayed" });
  });

  it("accepts a recovery code once, whatever its case and dash, and never another account's", async () => {
    const { tenant, user, recoveryCodes } = await enrolled();
    const other = await enrolled();
    expect(await withTenant(tenant.id, (tx) => useSecondFactor(tx, user.id, other.recoveryCodes[0]))).toEqual({ ok: false, reason: "invalid" });
    const typed = recoveryCodes[0].toUpperCase().replace("-", " ");
    expect(await withTenant(tenant.id, (tx) => useSecondFactor(tx, user.id, typed))).toEqual({ ok: true, method: "recovery" });
    expect(await withTenant(tenant.id, (tx) => useSecondFactor(tx, user.id, recoveryCodes[0]))).toEqual({ ok: false, reason: "invalid" });
    expect((await withTenant(tenant.id, (tx) => totpStatus(tx, user.id))).recoveryCodesLeft).toBe(RECOVERY_CODE_COUNT - 1);
    expect(await withTenant(tenant.id, (tx) => useSecondFactor(tx, user.id, "abcde-fghjk"))).toEqual({ ok: false, reason: "invalid" });
  });
});
