import { redirect } from "@remix-run/node";
import { serializeCookie } from "~/core/http/cookies.server";
import { OPERATOR_LOCALES, operatorLoader, safeOperatorReturn } from "~/core/operator/route.server";
import { LOCALE_COOKIE, notFound } from "~/core/route.server";

/** The console's language switch: a plain link, works without JavaScript, remembered for a year. */
export const loader = /* @__PURE__ */ operatorLoader(
  async ({ params, request }) => {
    const lng = OPERATOR_LOCALES.find((l) => l === params.lng);
    if (!lng) notFound();
    const target = safeOperatorReturn(new URL(request.url).searchParams.get("retour"));
    return redirect(target, {
      headers: { "Set-Cookie": serializeCookie(LOCALE_COOKIE, lng, { maxAge: 365 * 24 * 3600, httpOnly: false }) },
    });
  },
  { public: true },
);
