import { redirect } from "@remix-run/node";
import { serializeCookie } from "~/core/http/cookies.server";
import { safeReturnPath } from "~/core/http/urls.server";
import { isLocale } from "~/core/i18n/i18n.server";
import { LOCALE_COOKIE, notFound, tenantLoader } from "~/core/route.server";

/** Language switch as a plain link: works without JavaScript, remembered for a year. */
export const loader = /* @__PURE__ */ tenantLoader(
  async ({ params, request, tenant }) => {
    const lng = params.lng;
    if (!isLocale(lng) || !tenant.locales.includes(lng)) notFound();
    // Only same-site paths: an open redirect would help phishing.
    const target = safeReturnPath(new URL(request.url).searchParams.get("retour"));
    return redirect(target, {
      headers: { "Set-Cookie": serializeCookie(LOCALE_COOKIE, lng, { maxAge: 365 * 24 * 3600, httpOnly: false }) },
    });
  },
  { allowSuspended: true },
);
