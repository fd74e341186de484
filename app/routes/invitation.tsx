import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { clientMeta } from "~/core/auth/accounts.server";
import { acceptAsSignedInUser, acceptInvitationSchema, acceptWithNewAccount, checkInvitation } from "~/core/auth/invitations.server";
import { roleDisplayName } from "~/core/auth/roles.server";
import { tenantAction, tenantLoader } from "~/core/route.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Field } from "~/core/ui/form";
import { parseForm } from "~/core/ui/form.server";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

type Mode = "new" | "signedIn" | "signInFirst" | "otherAccount" | "expired" | "used" | "invalid";

/** What the link allows: a new account, accepting as the signed-in account, or nothing (and why). */
export const loader = /* @__PURE__ */ tenantLoader(async ({ request, tx, tenant, user, t, locale }) => {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const check = await checkInvitation(tx, token);
  const base = { town: tenant.name, title: t("auth:invitation.pageTitle") };
  if (check.status !== "valid") return json({ ...base, mode: check.status as Mode, token: null, email: null, role: null });
  const { email, role } = check.invitation;
  let mode: Mode = "new";
  if (user) mode = user.email.toLowerCase() === email.toLowerCase() ? "signedIn" : "otherAccount";
  else if (await tx.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst()) mode = "signInFirst";
  return json({ ...base, mode, token, email, role: await roleDisplayName(tx, role, locale, t) });
});

const homeFor = (role: string) => (role === "staff" ? "/admin" : "/");

export const action = /* @__PURE__ */ tenantAction(async (ctx) => {
  const { form, tx, user, tenant, locale } = ctx;
  const token = String(form.get("token") ?? "");
  if (form.get("intent") === "accept") {
    const none: Record<string, string> = {};
    if (!user) return json({ errors: none, values: none, problem: "signInFirst" as const }, { status: 400 });
    const result = await acceptAsSignedInUser(tx, token, user);
    if (!result.ok) return json({ errors: none, values: none, problem: result.reason }, { status: 400 });
    return redirect(homeFor(result.role));
  }
  const parsed = parseForm(acceptInvitationSchema, form);
  if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values, problem: null }, { status: 400 });
  const result = await acceptWithNewAccount({ tx, tenant, locale }, parsed.data, clientMeta(ctx));
  if (!result.ok) {
    const values: Record<string, string> = { displayName: parsed.data.displayName };
    return json({ errors: {} as Record<string, string>, values, problem: result.reason }, { status: 400 });
  }
  return redirect(homeFor(result.role), { headers: { "Set-Cookie": result.cookie! } });
});

export default function Invitation() {
  const loaded = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("auth");
  const mode: Mode = data?.problem ?? loaded.mode;
  const errors: Record<string, string | undefined> = data?.errors ?? {};
  const values: Record<string, string | undefined> = data?.values ?? {};
  const signInUrl = loaded.token ? `/connexion?retour=${encodeURIComponent(`/invitation?token=${loaded.token}`)}` : "/connexion";
  return (
    <>
      <h1>{t("invitation.title", { town: loaded.town })}</h1>
      {mode === "new" && loaded.token ? (
        <>
          <p className="lead">{t("invitation.intro", { town: loaded.town, role: loaded.role })}</p>
          <p>{t("invitation.account", { email: loaded.email })}</p>
          <Form method="post" noValidate className="form">
            <CsrfInput />
            <input type="hidden" name="token" value={loaded.token} />
            <ErrorSummary errors={data?.errors} />
            <Field
              name="displayName"
              autoComplete="name"
              label={t("fields.displayName")}
              hint={t("fields.displayNameHint")}
              required
              defaultValue={values.displayName}
              error={errors.displayName}
            />
            <Field
              name="password"
              type="password"
              autoComplete="new-password"
              label={t("fields.password")}
              hint={t("fields.newPasswordHint")}
              required
              error={errors.password}
            />
            <Field name="confirmPassword" type="password" autoComplete="new-password" label={t("fields.confirmPassword")} required error={errors.confirmPassword} />
            <p>
              <button type="submit" className="button">
                {t("invitation.submit")}
              </button>
            </p>
          </Form>
        </>
      ) : mode === "signedIn" && loaded.token ? (
        <>
          <p className="lead">{t("invitation.signedIn", { email: loaded.email, role: loaded.role })}</p>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="token" value={loaded.token} />
            <input type="hidden" name="intent" value="accept" />
            <button type="submit" className="button">
              {t("invitation.accept")}
            </button>
          </Form>
        </>
      ) : mode === "signInFirst" ? (
        <>
          <p className="lead" role="alert">
            {t("invitation.signInFirst", { email: loaded.email })}
          </p>
          <p>
            <Link to={signInUrl} className="button">
              {t("invitation.signIn")}
            </Link>
          </p>
        </>
      ) : (
        <>
          <p className="lead" role="alert">
            {t(`invitation.${mode}`)}
          </p>
          {mode === "used" ? (
            <p>
              <Link to="/connexion">{t("invitation.goSignIn")}</Link>
            </p>
          ) : null}
        </>
      )}
    </>
  );
}
