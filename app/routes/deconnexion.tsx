import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { clearSessionCookie, hashToken, revokeSession, sessionTokenFrom } from "~/core/auth/session.server";
import { tenantAction, tenantLoader } from "~/core/route.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

// Signing out changes state, so it is a POST (with its CSRF token); a GET only shows the
// button, for someone who lands here from a link or without JavaScript.
export const loader = /* @__PURE__ */ tenantLoader(async ({ user, tenant, t }) =>
  json({ signedIn: user !== null, town: tenant.name, title: t("auth:signOut.title") }),
  { allowSuspended: true },
);

export const action = /* @__PURE__ */ tenantAction(
  async ({ request, tx }) => {
    const token = sessionTokenFrom(request);
    if (token) await revokeSession(tx, hashToken(token));
    return redirect("/", { headers: { "Set-Cookie": clearSessionCookie() } });
  },
  { allowSuspended: true },
);

export default function SignOut() {
  const { signedIn } = useLoaderData<typeof loader>();
  const { t } = useTranslation("auth");
  return (
    <>
      <h1>{t("signOut.title")}</h1>
      {signedIn ? (
        <Form method="post" className="form">
          <CsrfInput />
          <p>{t("signOut.body")}</p>
          <p>
            <button type="submit" className="button">
              {t("signOut.submit")}
            </button>
          </p>
        </Form>
      ) : (
        <>
          <p>{t("signOut.notSignedIn")}</p>
          <p>
            <Link to="/">{t("signOut.homeLink")}</Link>
          </p>
        </>
      )}
    </>
  );
}
