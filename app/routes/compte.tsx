import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import {
  accountEnv,
  changeDisplayName,
  changePassword,
  pendingEmailChange,
  requestEmailChange,
  sendVerificationEmail,
  type ChangeResult,
} from "~/core/auth/accounts.server";
import { displayNameSchema, emailChangeSchema, passwordChangeSchema } from "~/core/auth/schemas";
import { listActiveSessions, revokeAllSessions, revokeUserSession } from "~/core/auth/session.server";
import { DisplayNameField, NewPasswordFields } from "~/core/auth/AccountFields";
import { describeUserAgent } from "~/core/auth/user-agent";
import { notFound, tenantAction, tenantLoader, type ActionContext } from "~/core/route.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Field, Notice } from "~/core/ui/form";
import { parseForm } from "~/core/ui/form.server";
import { formatDateTime } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";

// Success notices arrive after a redirect, by a code in the address (works without JS).
const NOTICES = {
  "nom-modifie": "nameChanged",
  "adresse-demandee": "emailRequested",
  "mot-de-passe-modifie": "passwordChanged",
  "mot-de-passe-reinitialise": "passwordReset",
  "session-fermee": "sessionRevoked",
  "autres-sessions-fermees": "othersRevoked",
  "lien-envoye": "verificationSent",
} as const;
type NoticeCode = keyof typeof NOTICES;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, tx, tenant, t, requireUser }) => {
    const user = requireUser();
    const code = new URL(request.url).searchParams.get("ok");
    const sessions = await listActiveSessions(tx, user.id);
    return json({
      town: tenant.name,
      title: t("auth:account.title"),
      timeZone: tenant.timeZone,
      notice: code && code in NOTICES ? NOTICES[code as NoticeCode] : null,
      email: user.email,
      emailVerified: user.emailVerified,
      displayName: user.displayName,
      twoFactorEnabled: user.twoFactorEnabled,
      pendingEmail: await pendingEmailChange(tx, user.id),
      sessions: sessions.map((s) => ({
        id: s.id,
        current: s.id === user.sessionId,
        createdAt: s.created_at.toISOString(),
        lastSeenAt: s.last_seen_at.toISOString(),
        ip: s.ip,
        ...describeUserAgent(s.user_agent),
      })),
    });
  },
  { signedIn: true },
);

type Failure = { intent: string; errors: Record<string, string>; values: Record<string, string>; message: string | null };
const fail = (f: Failure, status = 400) => json(f, { status });

function changeFailure(ctx: ActionContext, intent: string, result: Exclude<ChangeResult, { ok: true }>, values: Record<string, string>) {
  if ("retryAt" in result) {
    const message = ctx.t("auth:errors.rateLimited", { time: formatDateTime(result.retryAt, ctx.tenant.timeZone) });
    return fail({ intent, errors: {}, values, message }, 429);
  }
  return fail({ intent, errors: result.errors, values, message: null });
}

export const action = /* @__PURE__ */ tenantAction(
  async (ctx) => {
    const { form, tx, requireUser, context } = ctx;
    const user = requireUser();
    const intent = String(form.get("intent") ?? "");
    switch (intent) {
      case "name": {
        const parsed = parseForm(displayNameSchema, form);
        if (!parsed.ok) return fail({ intent, errors: parsed.errors, values: parsed.values, message: null });
        await changeDisplayName(tx, user.id, parsed.data.displayName);
        return redirect("/compte?ok=nom-modifie");
      }
      case "email": {
        const parsed = parseForm(emailChangeSchema, form);
        if (!parsed.ok) return fail({ intent, errors: parsed.errors, values: parsed.values, message: null });
        const result = await requestEmailChange(accountEnv(ctx), user, parsed.data, context.clientIp);
        if (!result.ok) return changeFailure(ctx, intent, result, { newEmail: parsed.data.newEmail });
        return redirect("/compte?ok=adresse-demandee");
      }
      case "password": {
        const parsed = parseForm(passwordChangeSchema, form);
        if (!parsed.ok) return fail({ intent, errors: parsed.errors, values: parsed.values, message: null });
        const result = await changePassword(ctx, user, parsed.data, context.clientIp);
        if (!result.ok) return changeFailure(ctx, intent, result, {});
        return redirect("/compte?ok=mot-de-passe-modifie");
      }
      case "revoke": {
        const sessionId = String(form.get("session") ?? "");
        if (sessionId === user.sessionId || !(await revokeUserSession(tx, user.id, sessionId))) notFound();
        return redirect("/compte?ok=session-fermee");
      }
      case "revokeOthers":
        await revokeAllSessions(tx, user.id, user.sessionId);
        return redirect("/compte?ok=autres-sessions-fermees");
      case "resend":
        if (user.emailVerified) return redirect("/compte");
        await sendVerificationEmail(accountEnv(ctx), user);
        return redirect("/compte?ok=lien-envoye");
      default:
        return fail({ intent, errors: {}, values: {}, message: ctx.t("common:form.errors.invalid") });
    }
  },
  { signedIn: true },
);

function IntentInput({ intent }: { intent: string }) {
  return <input type="hidden" name="intent" value={intent} />;
}

export default function Account() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("auth");
  // Each form shows only its own errors.
  const errorsOf = (intent: string) => (result?.intent === intent ? result : null);
  const nameResult = errorsOf("name");
  const emailResult = errorsOf("email");
  const passwordResult = errorsOf("password");
  const others = data.sessions.filter((s) => !s.current);
  return (
    <>
      <h1>{t("account.title")}</h1>
      {data.notice ? <Notice>{t(`account.notices.${data.notice}`)}</Notice> : null}
      {result && !["name", "email", "password"].includes(result.intent) ? <ErrorSummary message={result.message} /> : null}

      <section className="account-section">
        <h2 id="account-email">{t("account.email.title")}</h2>
        <p>
          {t("account.email.current", { email: data.email })}{" "}
          <strong>{data.emailVerified ? t("account.email.verified") : t("account.email.unverified")}</strong>
        </p>
        {!data.emailVerified ? (
          <Form method="post">
            <CsrfInput />
            <IntentInput intent="resend" />
            <button type="submit" className="button button--secondary">
              {t("account.email.resend")}
            </button>
          </Form>
        ) : null}
        {data.pendingEmail ? <p>{t("account.email.pending", { email: data.pendingEmail })}</p> : null}
        <Form method="post" noValidate className="form">
          <CsrfInput />
          <IntentInput intent="email" />
          <ErrorSummary errors={emailResult?.errors} message={emailResult?.message} />
          <Field
            name="newEmail"
            type="email"
            autoComplete="email"
            label={t("fields.newEmail")}
            required
            error={emailResult?.errors.newEmail}
            defaultValue={emailResult?.values.newEmail}
          />
          <Field
            name="password"
            type="password"
            autoComplete="current-password"
            label={t("fields.passwordToConfirm")}
            hint={t("fields.passwordToConfirmHint")}
            required
            error={emailResult?.errors.password}
          />
          <p>
            <button type="submit" className="button">
              {t("account.email.submit")}
            </button>
          </p>
        </Form>
      </section>

      <section className="account-section">
        <h2 id="account-name">{t("account.name.title")}</h2>
        <Form method="post" noValidate className="form">
          <CsrfInput />
          <IntentInput intent="name" />
          <ErrorSummary errors={nameResult?.errors} />
          <DisplayNameField error={nameResult?.errors.displayName} defaultValue={nameResult?.values.displayName ?? data.displayName} />
          <p>
            <button type="submit" className="button">
              {t("account.name.submit")}
            </button>
          </p>
        </Form>
      </section>

      <section className="account-section">
        <h2 id="account-password">{t("account.password.title")}</h2>
        <p>{t("account.password.intro")}</p>
        <Form method="post" noValidate className="form">
          <CsrfInput />
          <IntentInput intent="password" />
          <ErrorSummary errors={passwordResult?.errors} message={passwordResult?.message} />
          <Field
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            label={t("fields.currentPassword")}
            required
            error={passwordResult?.errors.currentPassword}
          />
          <NewPasswordFields
            name="newPassword"
            replacing
            error={passwordResult?.errors.newPassword}
            confirmError={passwordResult?.errors.confirmPassword}
          />
          <p>
            <button type="submit" className="button">
              {t("account.password.submit")}
            </button>
          </p>
        </Form>
      </section>

      <section className="account-section">
        <h2 id="account-two-factor">{t("account.twoFactor.title")}</h2>
        <p>{data.twoFactorEnabled ? t("account.twoFactor.on") : t("account.twoFactor.off")}</p>
        <p>
          <Link to="/compte/double-authentification">{t(data.twoFactorEnabled ? "account.twoFactor.manage" : "account.twoFactor.enable")}</Link>
        </p>
      </section>

      <section className="account-section">
        <h2 id="account-sessions">{t("account.sessions.title")}</h2>
        <p>{t("account.sessions.intro")}</p>
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="account-sessions">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("account.sessions.device")}</th>
                <th scope="col">{t("account.sessions.address")}</th>
                <th scope="col">{t("account.sessions.created")}</th>
                <th scope="col">{t("account.sessions.lastSeen")}</th>
                <th scope="col">{t("account.sessions.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {data.sessions.map((s) => {
                const device = t("account.sessions.browserOn", {
                  browser: s.browser ?? t("account.sessions.unknownBrowser"),
                  os: s.os ?? t("account.sessions.unknownOs"),
                });
                const created = formatDateTime(s.createdAt, data.timeZone);
                return (
                  <tr key={s.id}>
                    <td>{device}</td>
                    <td>{s.ip || t("account.sessions.unknownAddress")}</td>
                    <td>{created}</td>
                    <td>{formatDateTime(s.lastSeenAt, data.timeZone)}</td>
                    <td>
                      {s.current ? (
                        <strong>{t("account.sessions.current")}</strong>
                      ) : (
                        <Form method="post">
                          <CsrfInput />
                          <IntentInput intent="revoke" />
                          <input type="hidden" name="session" value={s.id} />
                          <button type="submit" className="button button--secondary">
                            {t("account.sessions.revoke")}
                            <span className="visually-hidden">
                              {" "}
                              ({device}, {t("account.sessions.revokeContext", { date: created })})
                            </span>
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {others.length > 0 ? (
          <Form method="post">
            <CsrfInput />
            <IntentInput intent="revokeOthers" />
            <button type="submit" className="button">
              {t("account.sessions.revokeOthers")}
            </button>
          </Form>
        ) : (
          <p>{t("account.sessions.onlyThis")}</p>
        )}
      </section>
    </>
  );
}
