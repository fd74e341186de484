// Contact requests no group answered within the town's delay, for those whose rules allow
// "route" (staff, by default): they send each one on to another nearby group among those
// their rules reach (the delay starts again), or close it.
import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { tenantOrigin } from "~/core/http/urls.server";
import { tenantAction, tenantLoader } from "~/core/route.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Field, Notice } from "~/core/ui/form";
import { formatDate } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";
import { ManagementLinks } from "../../components/ManagementLinks";
import { allowedListings, managementTools } from "../../data/access.server";
import { closeRequest, ContactRefused, nearestGroups, overdueRequests, routeRequest } from "../../data/contact.server";
import { getVocabularies } from "../../data/vocabulary.server";
import { directorySettings } from "../../public.server";
import { vocabularyLabel } from "../../vocabulary";

const ROUTERS = { module: "directory", can: { action: "route", subject: "Initiative" } };
const PATH = "/initiatives/gestion/demandes";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

export const loader = /* @__PURE__ */ tenantLoader(async ({ request, tx, tenant, locale, t, ability }) => {
  const rules = await ability();
  const routable = allowedListings(rules, "route");
  const settings = directorySettings(tenant);
  const vocabularies = await getVocabularies(tx);
  const overdue = await overdueRequests(tx, new Date(), settings.contactAnswerDays);
  const [centreLongitude, centreLatitude] = tenant.definition.map.center;
  const requests = [];
  for (const r of overdue) {
    const from = r.latitude !== null && r.longitude !== null ? { latitude: r.latitude, longitude: r.longitude } : { latitude: centreLatitude, longitude: centreLongitude };
    const already = new Set(r.targets.map((x) => x.id));
    const candidates = (await nearestGroups(tx, from, { kind: r.kind ?? undefined, layer: r.layer ?? undefined }, routable, 10)).filter((g) => !already.has(g.id)).slice(0, 5);
    requests.push({
      id: r.id,
      place: r.place,
      kind: r.kind ? vocabularyLabel(vocabularies.kind, r.kind, locale) : null,
      layer: r.layer ? vocabularyLabel(vocabularies.layer, r.layer, locale) : null,
      status: r.status,
      createdAt: formatDate(r.created_at, tenant.timeZone),
      targets: r.targets.map((x) => ({ name: x.name, sentAt: formatDate(x.sentAt, tenant.timeZone) })),
      candidates: candidates.map((g) => ({ id: g.id, label: t("directory:moderation.requests.candidate", { name: g.name, metres: g.distanceM }) })),
    });
  }
  const params = new URL(request.url).searchParams;
  return json({
    title: t("directory:moderation.requests.title"),
    town: tenant.name,
    days: settings.contactAnswerDays,
    requests,
    tools: managementTools(rules),
    done: params.has("routee") ? ("routed" as const) : params.has("fermee") ? ("closed" as const) : null,
  });
}, ROUTERS);

export const action = /* @__PURE__ */ tenantAction(async ({ request, form, tx, tenant, user, afterCommit, ability }) => {
  const requestId = String(form.get("request") ?? "");
  try {
    if (form.get("intent") === "route") {
      // One select per request on the page: its name carries the request (field ids are unique).
      const listing = String(form.get(`listing-${requestId}`) ?? "");
      if (!listing) return json({ errors: { [`listing-${requestId}`]: "directory:moderation.requests.errors.chooseGroup" } }, { status: 400 });
      await routeRequest(tx, requestId, listing, user!.id, {
        mail: { tx, tenant, afterCommit },
        origin: tenantOrigin(request, tenant),
        defaultLocale: tenant.defaultLocale,
        routable: allowedListings(await ability(), "route"),
      });
      return redirect(`${PATH}?routee=1`);
    }
    if (form.get("intent") === "close") {
      await closeRequest(tx, requestId);
      return redirect(`${PATH}?fermee=1`);
    }
  } catch (error) {
    if (!(error instanceof ContactRefused)) throw error;
    return json({ errors: { _form: `directory:moderation.requests.errors.${error.code}` } }, { status: error.code === "notFound" ? 404 : 409 });
  }
  return json({ errors: { _form: "directory:moderation.errors.unknownAction" } }, { status: 400 });
}, ROUTERS);

export default function ContactRequestsPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("directory");
  const errors: Record<string, string> = result?.errors ?? {};
  return (
    <>
      <h1>{data.title}</h1>
      {data.done && !result ? <Notice>{t(`moderation.requests.done.${data.done}`)}</Notice> : null}
      <ErrorSummary errors={errors} />
      <p className="lead">{t("moderation.requests.intro", { count: data.days })}</p>
      <ManagementLinks tools={data.tools} current="requests" />
      {data.requests.length === 0 ? <p>{t("moderation.requests.empty")}</p> : null}
      <ul className="directory-cards">
        {data.requests.map((r) => (
          <li key={r.id} className="card">
            <h2 className="directory-card-title">{t("moderation.requests.requestOf", { date: r.createdAt })}</h2>
            <dl className="directory-facts">
              <dt>{t("moderation.join.place")}</dt>
              <dd>{r.place}</dd>
              <dt>{t("moderation.requests.looksFor")}</dt>
              <dd>{[r.kind, r.layer].filter(Boolean).join(" · ") || t("moderation.requests.anything")}</dd>
              <dt>{t("moderation.requests.sentTo")}</dt>
              <dd>{r.targets.map((x) => t("moderation.requests.sentToLine", { name: x.name, date: x.sentAt })).join(" ; ")}</dd>
            </dl>
            {r.candidates.length ? (
              <Form method="post" noValidate className="form">
                <CsrfInput />
                <input type="hidden" name="request" value={r.id} />
                <Field
                  as="select"
                  name={`listing-${r.id}`}
                  label={t("moderation.requests.routeTo")}
                  error={errors[`listing-${r.id}`]}
                  options={[{ value: "", label: t("moderation.form.choose") }, ...r.candidates.map((c) => ({ value: c.id, label: c.label }))]}
                />
                <p>
                  <button type="submit" name="intent" value="route" className="button">
                    {t("moderation.requests.route")}
                  </button>
                </p>
              </Form>
            ) : (
              <p>{t("moderation.requests.noCandidate")}</p>
            )}
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="request" value={r.id} />
              <button type="submit" name="intent" value="close" className="button button--secondary">
                {t("moderation.requests.close")}
                <span className="visually-hidden"> {t("moderation.requests.requestOf", { date: r.createdAt })}</span>
              </button>
            </Form>
          </li>
        ))}
      </ul>
    </>
  );
}
