// Joining a group near home, with or without an account. Step 1 (a GET form, so the
// results have an address): where the resident lives and what they look for; the nearest
// matching groups are listed by distance. Step 2: they tick some, give their contact and
// consent to share it with those groups only; each group is emailed.
// No geocoding service is reachable: the distance is measured from the position the
// resident gives (typed, or from the browser when JavaScript runs), else from the centre of
// the neighbourhood they pick, else from the town's centre, and the page says which.
// The groups offered are the published listings the resident's rules let them read.
import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { tenantOrigin } from "~/core/http/urls.server";
import { tenantAction, tenantLoader, type RouteContext } from "~/core/route.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Field, Notice } from "~/core/ui/form";
import { formValues, issueKey, type FieldErrors } from "~/core/ui/form.server";
import { titledMeta } from "~/core/ui/meta";
import { CheckboxGroup, PositionFields } from "../../components/ListingFields";
import { allowedListings } from "../../data/access.server";
import { ContactRefused, createContactRequest, nearestGroups, neighbourhoodCentres, type Point } from "../../data/contact.server";
import { getVocabularies } from "../../data/vocabulary.server";
import { directorySettings, vocabularyOptions } from "../../public.server";
import { vocabularyLabel } from "../../vocabulary";

const PATH = "/initiatives/rejoindre";
const E = (key: string) => `directory:moderation.errors.${key}`;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

const coordinate = (min: number, max: number) =>
  z
    .preprocess(
      (v) => (typeof v === "string" ? (/^\s*-?\d+([.,]\d+)?\s*$/.test(v) ? Number(v.trim().replace(",", ".")) : Number.NaN) : v),
      z.number({ invalid_type_error: E("coordinate") }).min(min, E("coordinate")).max(max, E("coordinate")),
    )
    .optional();
const blank = (v: unknown) => (v === "" ? undefined : v);

function searchSchema(options: { kinds: string[]; layers: string[]; neighbourhoods: string[] }) {
  const choice = (allowed: string[]) => z.preprocess(blank, z.string().refine((v) => allowed.includes(v), "common:form.errors.choice").optional());
  return z
    .object({
      lieu: z.preprocess(blank, z.string({ required_error: E("placeRequired") }).trim().min(2, E("placeRequired")).max(200, "common:form.errors.tooLong")),
      latitude: z.preprocess(blank, coordinate(-90, 90)),
      longitude: z.preprocess(blank, coordinate(-180, 180)),
      quartier: choice(options.neighbourhoods),
      type: choice(options.kinds),
      calque: choice(options.layers),
    })
    .superRefine((v, ctx) => {
      if ((v.latitude === undefined) !== (v.longitude === undefined)) {
        ctx.addIssue({ code: "custom", path: [v.latitude === undefined ? "latitude" : "longitude"], message: E("positionPair") });
      }
    });
}

const SEARCH_FIELDS = ["lieu", "latitude", "longitude", "quartier", "type", "calque"] as const;

function errorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) errors[issue.path.join(".") || "_form"] ??= issueKey(issue);
  return errors;
}

/** Reads the search (from the URL, or carried back by the contact form) and finds the groups. */
async function search(ctx: Pick<RouteContext, "tx" | "tenant" | "locale" | "t" | "ability">, source: URLSearchParams | FormData) {
  const { tx, tenant, locale, t } = ctx;
  const vocabularies = await getVocabularies(tx);
  const centres = await neighbourhoodCentres(tx);
  const vocabulary = vocabularyOptions(vocabularies, locale);
  const options = {
    kind: vocabulary.kind.map((o) => ({ key: o.key, label: o.label })),
    layer: vocabulary.layer.map((o) => ({ key: o.key, label: o.label })),
    neighbourhoods: centres.map((c) => c.name),
  };
  const raw = Object.fromEntries(SEARCH_FIELDS.map((f) => [f, source.get(f) ?? undefined]));
  const values = Object.fromEntries(SEARCH_FIELDS.map((f) => [f, typeof raw[f] === "string" ? (raw[f] as string) : ""]));
  const base = { options, values, bounds: tenant.definition.map.bounds as [[number, number], [number, number]] };
  if (!source.has("lieu")) return { ...base, searched: false as const, errors: {} as FieldErrors };
  const parsed = searchSchema({ kinds: options.kind.map((o) => o.key), layers: options.layer.map((o) => o.key), neighbourhoods: options.neighbourhoods }).safeParse(raw);
  if (!parsed.success) return { ...base, searched: false as const, errors: errorsOf(parsed.error) };
  const s = parsed.data;
  let from: Point;
  let reference: string;
  let position: Point | null = null;
  const centre = s.quartier ? centres.find((c) => c.name === s.quartier) : undefined;
  if (s.latitude !== undefined && s.longitude !== undefined) {
    from = position = { latitude: s.latitude, longitude: s.longitude };
    reference = t("directory:moderation.join.fromPosition");
  } else if (centre) {
    from = position = { latitude: centre.latitude, longitude: centre.longitude };
    reference = t("directory:moderation.join.fromNeighbourhood", { name: centre.name });
  } else {
    const [longitude, latitude] = tenant.definition.map.center;
    from = { latitude, longitude };
    reference = t("directory:moderation.join.fromTownCentre", { town: tenant.name });
  }
  const groups = await nearestGroups(tx, from, { kind: s.type, layer: s.calque }, allowedListings(await ctx.ability(), "read"));
  return {
    ...base,
    searched: true as const,
    errors: {} as FieldErrors,
    search: { place: s.lieu, position, kind: s.type ?? null, layer: s.calque ?? null },
    reference,
    groups: groups.map((g) => ({ ...g, kindLabel: vocabularyLabel(vocabularies.kind, g.kind, locale) })),
  };
}

export const loader = /* @__PURE__ */ tenantLoader(
  async (ctx) => {
    const params = new URL(ctx.request.url).searchParams;
    const result = await search(ctx, params);
    const sent = params.get("envoye");
    return json(
      {
        title: ctx.t("directory:moderation.join.title"),
        town: ctx.tenant.name,
        sent: sent !== null && /^\d{1,2}$/.test(sent) ? Number(sent) : null,
        prefill: { nom: ctx.user?.displayName ?? "", email: ctx.user?.email ?? "" },
        retentionMonths: directorySettings(ctx.tenant).contactRetentionMonths,
        ...result,
      },
      { status: Object.keys(result.errors).length ? 400 : 200 },
    );
  },
  { module: "directory" },
);

const contactSchema = z.object({
  groupes: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()).min(1, E("chooseGroup")).max(10, E("chooseGroup"))),
  nom: z.string({ required_error: E("contactNameRequired") }).trim().min(2, E("contactNameRequired")).max(100, "common:form.errors.tooLong"),
  email: z.string({ required_error: E("emailRequired") }).trim().email("common:form.errors.email").max(254, "common:form.errors.tooLong"),
  telephone: z.string().trim().regex(/^\+?[0-9 ().-]{6,25}$/, E("phone")).optional(),
  message: z.string().trim().max(2000, "common:form.errors.tooLong").optional(),
  consentement: z.literal("oui", { errorMap: () => ({ message: E("consentRequired") }) }),
});

function formObject(form: FormData) {
  const out: Record<string, unknown> = {};
  for (const name of new Set(form.keys())) {
    const all = form.getAll(name).filter((v): v is string => typeof v === "string");
    out[name] = name === "groupes" ? all : all[0] === "" ? undefined : all[0];
  }
  return out;
}

export const action = /* @__PURE__ */ tenantAction(
  async (ctx) => {
    const { request, form, tx, tenant, user, locale, afterCommit } = ctx;
    const found = await search(ctx, form);
    const chosen = form.getAll("groupes").map(String);
    const fail = (errors: FieldErrors) => json({ errors, values: formValues(form), chosen }, { status: 400 });
    if (!found.searched) return fail({ ...found.errors, _form: E("searchFirst") });
    const parsed = contactSchema.safeParse(formObject(form));
    if (!parsed.success) return fail(errorsOf(parsed.error));
    const c = parsed.data;
    const settings = directorySettings(tenant);
    try {
      const created = await createContactRequest(
        tx,
        tenant.id,
        {
          userId: user?.id ?? null,
          name: c.nom,
          email: c.email,
          phone: c.telephone ?? null,
          place: found.search.place,
          position: found.search.position,
          kind: found.search.kind,
          layer: found.search.layer,
          message: c.message ?? "",
          targetIds: c.groupes,
          locale,
        },
        {
          mail: { tx, tenant, afterCommit },
          origin: tenantOrigin(request, tenant),
          defaultLocale: tenant.defaultLocale,
          retentionMonths: settings.contactRetentionMonths,
          readable: allowedListings(await ctx.ability(), "read"),
        },
      );
      return redirect(`${PATH}?envoye=${created.targets.length}`);
    } catch (error) {
      if (error instanceof ContactRefused) return fail({ groupes: E("unknownGroup") });
      throw error;
    }
  },
  { module: "directory" },
);

function formatDistance(metres: number, t: (k: string, o?: Record<string, unknown>) => string) {
  return metres < 1000 ? t("moderation.join.metres", { value: metres }) : t("moderation.join.kilometres", { value: (metres / 1000).toLocaleString("fr-FR", { maximumFractionDigits: 1 }) });
}

export default function JoinPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("directory");
  if (data.sent !== null) {
    return (
      <>
        <h1>{data.title}</h1>
        <Notice>{t("moderation.join.sent", { count: data.sent })}</Notice>
        <p>{t("moderation.join.sentNext")}</p>
        <p>
          <Link to="/initiatives">{t("moderation.submit.backToList")}</Link>
        </p>
      </>
    );
  }
  const contactErrors = result?.errors ?? {};
  const contactValues: Record<string, string> = result?.values ?? data.prefill;
  const chosen = result?.chosen ?? [];
  return (
    <>
      <h1>{data.title}</h1>
      <p className="lead">{t("moderation.join.intro")}</p>
      <Form method="get" noValidate className="form directory-form" aria-labelledby="join-search-title">
        <h2 id="join-search-title">{t("moderation.join.searchTitle")}</h2>
        <ErrorSummary errors={data.errors} />
        <Field name="lieu" label={t("moderation.join.place")} hint={t("moderation.join.placeHint")} required maxLength={200} autoComplete="street-address" error={data.errors.lieu} defaultValue={data.values.lieu} />
        {data.options.neighbourhoods.length ? (
          <Field
            as="select"
            name="quartier"
            label={t("moderation.join.neighbourhood")}
            hint={t("moderation.join.neighbourhoodHint")}
            error={data.errors.quartier}
            defaultValue={data.values.quartier}
            options={[{ value: "", label: t("moderation.join.noNeighbourhood") }, ...data.options.neighbourhoods.map((n) => ({ value: n, label: n }))]}
          />
        ) : null}
        <PositionFields state={{ values: data.values, errors: data.errors }} bounds={data.bounds} legendKey="moderation.join.position" hintKey="moderation.join.positionHint" />
        <Field
          as="select"
          name="type"
          label={t("moderation.join.kind")}
          error={data.errors.type}
          defaultValue={data.values.type}
          options={[{ value: "", label: t("moderation.join.anyKind") }, ...data.options.kind.map((o) => ({ value: o.key, label: o.label }))]}
        />
        <Field
          as="select"
          name="calque"
          label={t("moderation.join.layer")}
          error={data.errors.calque}
          defaultValue={data.values.calque}
          options={[{ value: "", label: t("moderation.join.anyLayer") }, ...data.options.layer.map((o) => ({ value: o.key, label: o.label }))]}
        />
        <p>
          <button type="submit" className="button">
            {t("moderation.join.find")}
          </button>
        </p>
      </Form>

      {data.searched ? (
        <section aria-labelledby="join-results">
          <h2 id="join-results">{t("moderation.join.results", { count: data.groups.length })}</h2>
          <p>{t("moderation.join.reference", { reference: data.reference })}</p>
          {data.groups.length === 0 ? (
            <p>{t("moderation.join.noGroup")}</p>
          ) : (
            <Form method="post" noValidate className="form directory-form">
              <CsrfInput />
              {SEARCH_FIELDS.map((f) => (
                <input key={f} type="hidden" name={f} value={data.values[f]} />
              ))}
              <ErrorSummary errors={contactErrors} />
              <CheckboxGroup
                name="groupes"
                legend={t("moderation.join.choose")}
                hint={t("moderation.join.chooseHint")}
                options={data.groups.map((g) => ({
                  value: g.id,
                  label: t("moderation.join.groupLabel", { name: g.name, kind: g.kindLabel, distance: formatDistance(g.distanceM, t), address: g.address || g.neighbourhood || "" }),
                }))}
                checked={chosen}
                error={contactErrors.groupes}
              />
              <ul className="directory-links-list">
                {data.groups.map((g) => (
                  <li key={g.id}>
                    <Link to={`/initiatives/${g.id}`}>{t("moderation.join.seeGroup", { name: g.name })}</Link>
                  </li>
                ))}
              </ul>
              <fieldset className="directory-fieldset">
                <legend>{t("moderation.join.you")}</legend>
                <Field name="nom" label={t("moderation.join.name")} required maxLength={100} autoComplete="name" error={contactErrors.nom} defaultValue={contactValues.nom} />
                <Field name="email" type="email" label={t("moderation.join.email")} required maxLength={254} autoComplete="email" error={contactErrors.email} defaultValue={contactValues.email} />
                <Field name="telephone" type="tel" label={t("moderation.join.phone")} maxLength={25} autoComplete="tel" error={contactErrors.telephone} defaultValue={contactValues.telephone} />
                <Field as="textarea" name="message" rows={4} maxLength={2000} label={t("moderation.join.message")} hint={t("moderation.join.messageHint")} error={contactErrors.message} defaultValue={contactValues.message} />
              </fieldset>
              <div className="field">
                {contactErrors.consentement ? (
                  <p className="field-error" id="field-consentement-error">
                    <span className="visually-hidden">{t("common:form.errorPrefix")} </span>
                    {t(contactErrors.consentement)}
                  </p>
                ) : null}
                <label className="checkbox">
                  <input
                    type="checkbox"
                    id="field-consentement"
                    name="consentement"
                    value="oui"
                    aria-describedby={["consent-hint", contactErrors.consentement ? "field-consentement-error" : null].filter(Boolean).join(" ")}
                    aria-invalid={contactErrors.consentement ? true : undefined}
                  />
                  <span>{t("moderation.join.consent")}</span>
                </label>
                <p className="hint" id="consent-hint">
                  {t("moderation.join.consentHint", { months: data.retentionMonths })}
                </p>
              </div>
              <p>
                <button type="submit" className="button">
                  {t("moderation.join.send")}
                </button>
              </p>
            </Form>
          )}
        </section>
      ) : null}
    </>
  );
}
