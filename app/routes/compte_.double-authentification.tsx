import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { recordAudit, staffActor } from "~/core/audit.server";
import { confirmIdentity, secondFactorCode } from "~/core/auth/reauth.server";
import { PASSWORD_MAX } from "~/core/auth/schemas";
import { isStaffAccount, securitySettings } from "~/core/auth/security-settings.server";
import {
  cancelTotpEnrolment,
  confirmTotpEnrolment,
  disableTotp,
  groupedSecret,
  guardedAttempt,
  qrCodeDataUri,
  replaceRecoveryCodes,
  startTotpEnrolment,
  totpAuthUri,
  totpIssuer,
  totpStatus,
  useSecondFactor,
} from "~/core/auth/totp.server";
import { accountKey } from "~/core/auth/rate-limit.server";
import { safeReturnPath } from "~/core/http/urls.server";
import { TWO_FACTOR_SETUP_PATH, tenantAction, tenantLoader, type ActionContext } from "~/core/route.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Field, Notice } from "~/core/ui/form";
import { SecondFactorField } from "~/core/ui/SecondFactorField";
import { parseForm } from "~/core/ui/form.server";
import { formatDate, formatDateTime } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";

// Success notices arrive after a redirect, by a code in the address (works without JS).
const NOTICES = { annulee: "cancelled", desactivee: "disabled" } as const;
type NoticeCode = keyof typeof NOTICES;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

const sixDigits = z
  .string({ required_error: "security:errors.codeRequired" })
  .transform((s) => s.replace(/\s/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "security:errors.codeFormat"));
const password = z.string({ required_error: "security:errors.passwordRequired" }).max(PASSWORD_MAX, "auth:errors.passwordTooLong");
const enrolSchema = z.object({ password, enrolCode: sixDigits });
const regenerateSchema = z.object({ regenerateCode: secondFactorCode });
const disableSchema = z.object({ password, disableCode: secondFactorCode });

const pageWith = (retour: string, notice?: NoticeCode) => {
  const query = new URLSearchParams();
  if (notice) query.set("ok", notice);
  if (retour) query.set("retour", retour);
  const search = query.toString();
  return search ? `${TWO_FACTOR_SETUP_PATH}?${search}` : TWO_FACTOR_SETUP_PATH;
};

/**
 * Setting up, and turning off, TOTP two-factor sign-in for one's own account. Both ask for the
 * password: someone using a session left open must not be able to tie the account to their
 * own phone (locking its owner out) nor to remove the second factor.
 */
export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, tx, tenant, t, user }) => {
    const me = user!;
    const params = new URL(request.url).searchParams;
    const code = params.get("ok");
    const status = await totpStatus(tx, me.id);
    const staffMustUseIt = (await securitySettings(tx)).staffTwoFactorRequired && (await isStaffAccount(tx, me.id));
    const issuer = totpIssuer(tenant.name);
    return json({
      town: tenant.name,
      title: t("security:twoFactor.title"),
      timeZone: tenant.timeZone,
      retour: safeReturnPath(params.get("retour"), ""),
      notice: code && code in NOTICES ? NOTICES[code as NoticeCode] : null,
      email: me.email,
      issuer,
      enabledAt: status.enabledAt?.toISOString() ?? null,
      recoveryCodesLeft: status.recoveryCodesLeft,
      staffMustUseIt,
      enrolment: status.pendingSecret
        ? { secret: groupedSecret(status.pendingSecret), qrCode: qrCodeDataUri(totpAuthUri(status.pendingSecret, issuer, me.email)) }
        : null,
    });
  },
  { signedIn: true },
);

type Failure = { intent: string; errors: Record<string, string>; message: string | null };
const fail = (f: Failure, status = 400) => json({ ...f, recoveryCodes: null as string[] | null }, { status });
const shownOnce = (intent: string, recoveryCodes: string[]) => json({ intent, errors: {} as Record<string, string>, message: null as string | null, recoveryCodes });

/** confirmIdentity names its code field `code`; each form of this page has its own name for it. */
const onField = (errors: Record<string, string>, codeField: string) =>
  Object.fromEntries(Object.entries(errors).map(([field, key]) => [field === "code" ? codeField : field, key]));

function rateLimited(ctx: ActionContext, intent: string, retryAt: Date) {
  return fail({ intent, errors: {}, message: ctx.t("security:errors.rateLimited", { time: formatDateTime(retryAt, ctx.tenant.timeZone) }) }, 429);
}

export const action = /* @__PURE__ */ tenantAction(
  async (ctx) => {
    const { form, tx, tenant, context } = ctx;
    const me = ctx.user!;
    const intent = String(form.get("intent") ?? "");
    const retour = safeReturnPath(form.get("retour"), "");
    const audited = async (action: string) => {
      if (await isStaffAccount(tx, me.id)) await recordAudit(tx, { actor: staffActor(me), action, subject: { type: "user", id: me.id } });
    };
    switch (intent) {
      case "start":
        await startTotpEnrolment(tx, me.id);
        return redirect(pageWith(retour));
      case "cancel":
        await cancelTotpEnrolment(tx, me.id);
        return redirect(pageWith(retour, "annulee"));
      case "enrol": {
        const parsed = parseForm(enrolSchema, form);
        if (!parsed.ok) return fail({ intent, errors: parsed.errors, message: null });
        // The account has no second factor yet: this checks the password alone.
        const proof = await confirmIdentity(tx, tenant.id, me, { password: parsed.data.password }, context.clientIp);
        if (!proof.ok) return "retryAt" in proof ? rateLimited(ctx, intent, proof.retryAt) : fail({ intent, errors: onField(proof.errors, "enrolCode"), message: null });
        const result = await confirmTotpEnrolment(tx, tenant.id, me.id, parsed.data.enrolCode);
        if (!result.ok) {
          if (result.reason === "noPending") return fail({ intent, errors: {}, message: ctx.t("security:errors.noPending") });
          return fail({ intent, errors: { enrolCode: result.reason === "replayed" ? "security:errors.codeReplayed" : "security:errors.codeWrong" }, message: null });
        }
        await audited("security.totp.enable");
        // Shown once, in this answer: only their hashes are kept.
        return shownOnce(intent, result.recoveryCodes);
      }
      case "regenerate": {
        const parsed = parseForm(regenerateSchema, form);
        if (!parsed.ok) return fail({ intent, errors: parsed.errors, message: null });
        const check = await guardedAttempt(tx, tenant.id, { account: accountKey(me.email), address: context.clientIp }, async () => {
          const used = await useSecondFactor(tx, me.id, parsed.data.regenerateCode);
          return { passed: used.ok, value: used };
        });
        if (!check.ok) {
          if (check.retryAt) return rateLimited(ctx, intent, check.retryAt);
          const replayed = check.value?.ok === false && check.value.reason === "replayed";
          return fail({ intent, errors: { regenerateCode: replayed ? "security:errors.codeReplayed" : "security:errors.codeWrong" }, message: null });
        }
        return shownOnce(intent, await replaceRecoveryCodes(tx, tenant.id, me.id));
      }
      case "disable": {
        if ((await securitySettings(tx)).staffTwoFactorRequired && (await isStaffAccount(tx, me.id))) {
          return fail({ intent, errors: {}, message: ctx.t("security:errors.requiredForStaff") });
        }
        const parsed = parseForm(disableSchema, form);
        if (!parsed.ok) return fail({ intent, errors: parsed.errors, message: null });
        const result = await confirmIdentity(tx, tenant.id, me, { password: parsed.data.password, code: parsed.data.disableCode }, context.clientIp);
        if (!result.ok) {
          if ("retryAt" in result) return rateLimited(ctx, intent, result.retryAt);
          return fail({ intent, errors: onField(result.errors, "disableCode"), message: null });
        }
        await disableTotp(tx, me.id);
        await audited("security.totp.disable");
        return redirect(pageWith(retour, "desactivee"));
      }
      default:
        return fail({ intent, errors: {}, message: ctx.t("common:form.errors.invalid") });
    }
  },
  { signedIn: true },
);

function Hidden({ intent, retour }: { intent: string; retour: string }) {
  return (
    <>
      <input type="hidden" name="intent" value={intent} />
      {retour ? <input type="hidden" name="retour" value={retour} /> : null}
    </>
  );
}

function RecoveryCodes({ codes, next }: { codes: string[]; next: string }) {
  const { t } = useTranslation("security");
  return (
    <section className="security-codes" aria-labelledby="recovery-codes-title">
      <h2 id="recovery-codes-title">{t("twoFactor.codes.title")}</h2>
      <p>{t("twoFactor.codes.intro", { count: codes.length })}</p>
      <ul className="security-codes__list" aria-label={t("twoFactor.codes.listLabel")}>
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <p>
        <Link to={next} className="button">
          {t("twoFactor.codes.continue")}
        </Link>
      </p>
    </section>
  );
}

export default function TwoFactor() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("security");
  const errorsOf = (intent: string) => (result?.intent === intent ? result : null);
  const enrolResult = errorsOf("enrol");
  const regenerateResult = errorsOf("regenerate");
  const disableResult = errorsOf("disable");
  const { retour } = data;
  const next = retour || "/compte";
  return (
    <>
      <h1>{t("twoFactor.title")}</h1>
      {data.notice ? <Notice>{t(`twoFactor.notices.${data.notice}`)}</Notice> : null}
      {result?.recoveryCodes && result.intent === "enrol" ? <Notice>{t("twoFactor.notices.enabled")}</Notice> : null}
      {result && !["enrol", "regenerate", "disable"].includes(result.intent) ? <ErrorSummary message={result.message} /> : null}
      {data.staffMustUseIt && !data.enabledAt ? (
        <p className="security-required">{t(retour ? "twoFactor.requiredThenBack" : "twoFactor.required", { town: data.town })}</p>
      ) : null}
      <p className="lead">{t("twoFactor.intro")}</p>

      {result?.recoveryCodes ? (
        // Nothing else on the page while the codes are shown: noting them down is the task.
        <RecoveryCodes codes={result.recoveryCodes} next={next} />
      ) : data.enabledAt ? (
        <>
          <p>
            <strong>{t("twoFactor.statusOn", { date: formatDate(data.enabledAt, data.timeZone) })}</strong>{" "}
            {t("twoFactor.recoveryLeft", { count: data.recoveryCodesLeft })}
          </p>

          <section className="account-section" aria-labelledby="regenerate-title">
            <h2 id="regenerate-title">{t("twoFactor.regenerate.title")}</h2>
            <p>{t("twoFactor.regenerate.intro")}</p>
            <Form method="post" noValidate className="form">
              <CsrfInput />
              <Hidden intent="regenerate" retour={retour} />
              <ErrorSummary errors={regenerateResult?.errors} message={regenerateResult?.message} />
              <SecondFactorField name="regenerateCode" error={regenerateResult?.errors.regenerateCode} />
              <p>
                <button type="submit" className="button">
                  {t("twoFactor.regenerate.submit")}
                </button>
              </p>
            </Form>
          </section>

          <section className="account-section" aria-labelledby="disable-title">
            <h2 id="disable-title">{t("twoFactor.disable.title")}</h2>
            {data.staffMustUseIt ? (
              <p>{t("errors.requiredForStaff")}</p>
            ) : (
              <>
                <p>{t("twoFactor.disable.intro")}</p>
                <Form method="post" noValidate className="form">
                  <CsrfInput />
                  <Hidden intent="disable" retour={retour} />
                  <ErrorSummary errors={disableResult?.errors} message={disableResult?.message} />
                  <Field name="password" type="password" autoComplete="current-password" label={t("fields.password")} required error={disableResult?.errors.password} />
                  <SecondFactorField name="disableCode" error={disableResult?.errors.disableCode} />
                  <p>
                    <button type="submit" className="button button--secondary">
                      {t("twoFactor.disable.submit")}
                    </button>
                  </p>
                </Form>
              </>
            )}
          </section>
        </>
      ) : data.enrolment ? (
        <section aria-labelledby="setup-title">
          <h2 id="setup-title">{t("twoFactor.setup.title")}</h2>
          <ol className="security-steps">
            <li>{t("twoFactor.setup.install")}</li>
            <li>
              <p>{t("twoFactor.setup.scan")}</p>
              <img className="security-qr" src={data.enrolment.qrCode} width={240} height={240} alt={t("twoFactor.setup.qrAlt", { issuer: data.issuer, email: data.email })} />
              <p>{t("twoFactor.setup.manual")}</p>
              <p>
                <span className="visually-hidden">{t("twoFactor.setup.secretLabel")} </span>
                <code className="security-secret">{data.enrolment.secret}</code>
              </p>
            </li>
            <li>
              <p>{t("twoFactor.setup.confirm")}</p>
              <Form method="post" noValidate className="form">
                <CsrfInput />
                <Hidden intent="enrol" retour={retour} />
                <ErrorSummary errors={enrolResult?.errors} message={enrolResult?.message} />
                <Field name="password" type="password" autoComplete="current-password" label={t("fields.password")} required error={enrolResult?.errors.password} />
                <Field
                  name="enrolCode"
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  spellCheck={false}
                  label={t("fields.enrolCode")}
                  required
                  error={enrolResult?.errors.enrolCode}
                />
                <p>
                  <button type="submit" className="button">
                    {t("twoFactor.setup.submit")}
                  </button>
                </p>
              </Form>
            </li>
          </ol>
          <Form method="post">
            <CsrfInput />
            <Hidden intent="cancel" retour={retour} />
            <button type="submit" className="button button--secondary">
              {t("twoFactor.setup.cancel")}
            </button>
          </Form>
        </section>
      ) : (
        <>
          <p>
            <strong>{t("twoFactor.statusOff")}</strong>
          </p>
          <Form method="post">
            <CsrfInput />
            <Hidden intent="start" retour={retour} />
            <button type="submit" className="button">
              {t("twoFactor.enable")}
            </button>
          </Form>
        </>
      )}
      <p>
        <Link to="/compte">{t("twoFactor.backToAccount")}</Link>
      </p>
    </>
  );
}
