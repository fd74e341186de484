import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listModules } from "~/core/modules/registry.server";
import { operatorMeta } from "~/core/operator/meta";
import { operatorAction, operatorLoader } from "~/core/operator/route.server";
import { createTenant, FRENCH_TIME_ZONES, newTenantSchema, suggestedSlug, suggestedTimeZone } from "~/core/operator/tenant-admin.server";
import { communeFacts, INSEE_CODE } from "~/core/tenant/communes.server";
import { invalidateTenantCache } from "~/core/tenant/tenant.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Field, fieldId } from "~/core/ui/form";
import { formValues, parseForm } from "~/core/ui/form.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => operatorMeta(matches, data?.title);

const DEFAULT_COLOURS = { primary: "#1d4ed8", accent: "#0f766e" };

/** Step 1 (GET ?insee=…): the commune's facts from the dataset, and the form pre-filled from them. */
export const loader = /* @__PURE__ */ operatorLoader(async ({ request, t }) => {
  const insee = (new URL(request.url).searchParams.get("insee") ?? "").trim().toUpperCase();
  const modules = listModules().map((m) => ({ id: m.id, name: t(`${m.id}:name`), description: t(`${m.id}:description`) }));
  const base = { title: t("create.pageTitle"), modules, timeZones: [...FRENCH_TIME_ZONES] };
  if (!insee) return json({ ...base, insee, lookupError: null, facts: null, defaults: null });
  const lookupError = !INSEE_CODE.test(insee) ? "operator:create.errors.inseeInvalid" : null;
  const facts = lookupError ? null : communeFacts(insee);
  if (!facts) return json({ ...base, insee, lookupError: lookupError ?? "operator:create.errors.inseeUnknown", facts: null, defaults: null }, { status: 400 });
  const name = facts.officialName;
  return json({
    ...base,
    insee,
    lookupError: null,
    facts,
    defaults: {
      name,
      slug: suggestedSlug(name),
      timeZone: suggestedTimeZone(facts),
      modules: modules.map((m) => m.id),
    },
  });
});

/** What the operator typed, to show again: every ticked module, not only the first. */
function typedValues(form: FormData) {
  return { ...formValues(form), modules: form.getAll("modules").filter((v) => typeof v === "string").join(",") };
}

/** Step 2: everything checked, then the town created in one transaction. */
export const action = /* @__PURE__ */ operatorAction(async ({ form, tx, operator, request, afterCommit, t }) => {
  const parsed = parseForm(newTenantSchema, form);
  const result = parsed.ok ? await createTenant({ tx, operator: operator!, request, afterCommit }, parsed.data) : null;
  if (!result?.ok) {
    const { inseeCode, ...errors } = parsed.ok ? result!.errors : parsed.errors;
    const takenHosts = result && !result.ok ? result.takenHosts : undefined;
    return json(
      {
        // The code comes from step 1 (a hidden field): a problem with it concerns the whole form.
        errors: inseeCode ? { ...errors, _form: inseeCode } : errors,
        values: typedValues(form),
        message: takenHosts?.length ? t("create.errors.hostsTakenList", { hosts: takenHosts.join(", ") }) : null,
      },
      { status: 400 },
    );
  }
  // This process sees the new town at once; other instances within their cache's 5 s.
  afterCommit(() => invalidateTenantCache());
  return redirect(`/operateur?ok=created&commune=${encodeURIComponent(result.slug)}`);
});

export default function NewTenant() {
  const { insee, lookupError, facts, defaults, modules, timeZones } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("operator");
  const errors: Record<string, string | undefined> = data?.errors ?? {};
  const values: Record<string, string | undefined> = data?.values ?? {};
  const population = new Intl.NumberFormat("fr-FR");
  return (
    <>
      <p>
        <Link to="/operateur">{t("create.backToTenants")}</Link>
      </p>
      <h1>{t("create.title")}</h1>
      <p className="lead">{t("create.intro")}</p>

      <section aria-labelledby="lookup-title">
        <h2 id="lookup-title">{t("create.lookup.title")}</h2>
        <Form method="get" noValidate className="form">
          {lookupError ? <ErrorSummary errors={{ insee: lookupError }} /> : null}
          <Field
            name="insee"
            label={t("create.lookup.insee")}
            hint={t("create.lookup.inseeHint")}
            required
            inputMode="text"
            autoComplete="off"
            maxLength={5}
            defaultValue={insee}
            error={lookupError ?? undefined}
          />
          <p>
            <button type="submit" className={facts ? "button button--secondary" : "button"}>
              {t("create.lookup.submit")}
            </button>
          </p>
        </Form>
      </section>

      {facts && defaults ? (
        <>
          <section aria-labelledby="facts-title" className="commune-facts">
            <h2 id="facts-title">{t("create.facts.title", { name: facts.officialName })}</h2>
            <dl>
              <dt>{t("create.facts.officialName")}</dt>
              <dd>{facts.officialName}</dd>
              <dt>{t("create.facts.inseeCode")}</dt>
              <dd>{facts.inseeCode}</dd>
              <dt>{t("create.facts.population")}</dt>
              <dd>{facts.population === null ? t("create.facts.populationUnknown") : population.format(facts.population)}</dd>
              <dt>{t("create.facts.postalCodes")}</dt>
              <dd>{facts.postalCodes.length ? facts.postalCodes.join(", ") : t("create.facts.postalCodesNone")}</dd>
              {facts.departement ? (
                <>
                  <dt>{t("create.facts.departement")}</dt>
                  <dd>{facts.departement}</dd>
                </>
              ) : null}
              {facts.parentName ? (
                <>
                  <dt>{t("create.facts.parent")}</dt>
                  <dd>{facts.parentName}</dd>
                </>
              ) : null}
            </dl>
          </section>

          <section aria-labelledby="form-title">
            <h2 id="form-title">{t("create.form.title")}</h2>
            <Form method="post" action={`/operateur/communes/nouvelle?insee=${encodeURIComponent(facts.inseeCode)}`} noValidate className="form operator-form">
              <CsrfInput />
              <input type="hidden" name="inseeCode" value={facts.inseeCode} />
              <ErrorSummary errors={data?.errors} message={data?.message} />

              <fieldset className="operator-fieldset">
                <legend>{t("create.form.identity")}</legend>
                <Field name="name" label={t("create.form.name")} hint={t("create.form.nameHint")} required defaultValue={values.name ?? defaults.name} error={errors.name} />
                <Field
                  name="slug"
                  label={t("create.form.slug")}
                  hint={t("create.form.slugHint")}
                  required
                  autoComplete="off"
                  defaultValue={values.slug ?? defaults.slug}
                  error={errors.slug}
                />
                <Field
                  as="textarea"
                  name="hosts"
                  label={t("create.form.hosts")}
                  hint={t("create.form.hostsHint")}
                  required
                  rows={3}
                  defaultValue={values.hosts ?? ""}
                  error={errors.hosts}
                />
              </fieldset>

              <fieldset className="operator-fieldset" aria-describedby={`modules-hint${errors.modules ? " modules-error" : ""}`}>
                <legend>{t("create.form.modules")}</legend>
                <p className="hint" id="modules-hint">
                  {t("create.form.modulesHint")}
                </p>
                {errors.modules ? (
                  <p className="field-error" id="modules-error">
                    {t(errors.modules)}
                  </p>
                ) : null}
                {modules.length === 0 ? (
                  <p>{t("create.form.noModules")}</p>
                ) : (
                  <ul className="plain-list operator-checkboxes">
                    {modules.map((m, i) => {
                      const id = i === 0 ? fieldId("modules") : `${fieldId("modules")}-${m.id}`;
                      const checked = data ? (data.values?.modules ?? "").split(",").includes(m.id) : defaults.modules.includes(m.id);
                      return (
                        <li key={m.id} className="checkbox">
                          <input type="checkbox" id={id} name="modules" value={m.id} defaultChecked={checked} aria-describedby={`${id}-description`} />
                          <label htmlFor={id}>
                            <strong>{m.name}</strong>
                            <span className="hint" id={`${id}-description`}>
                              {" "}
                              {m.description}
                            </span>
                          </label>
                        </li>
                      );
                    })}
                  </ul>
                )}
              </fieldset>

              <fieldset className="operator-fieldset">
                <legend>{t("create.form.appearance")}</legend>
                <Field
                  as="select"
                  name="timeZone"
                  label={t("create.form.timeZone")}
                  required
                  defaultValue={values.timeZone ?? defaults.timeZone}
                  error={errors.timeZone}
                  options={timeZones.map((zone) => ({ value: zone, label: t(`create.timeZones.${zone}`) }))}
                />
                <Field
                  name="primary"
                  type="color"
                  label={t("create.form.primary")}
                  hint={t("create.form.colourHint")}
                  required
                  defaultValue={values.primary ?? DEFAULT_COLOURS.primary}
                  error={errors.primary}
                />
                <Field
                  name="accent"
                  type="color"
                  label={t("create.form.accent")}
                  hint={t("create.form.colourHint")}
                  required
                  defaultValue={values.accent ?? DEFAULT_COLOURS.accent}
                  error={errors.accent}
                />
              </fieldset>

              <fieldset className="operator-fieldset">
                <legend>{t("create.form.map")}</legend>
                <p className="hint">{t("create.form.coordinatesHint")}</p>
                <Field name="latitude" inputMode="decimal" label={t("create.form.latitude")} required defaultValue={values.latitude} error={errors.latitude} />
                <Field name="longitude" inputMode="decimal" label={t("create.form.longitude")} required defaultValue={values.longitude} error={errors.longitude} />
              </fieldset>

              <fieldset className="operator-fieldset">
                <legend>{t("create.form.legal")}</legend>
                <Field name="publisher" label={t("create.form.publisher")} required defaultValue={values.publisher} error={errors.publisher} />
                <Field
                  name="publicationDirector"
                  label={t("create.form.publicationDirector")}
                  required
                  defaultValue={values.publicationDirector}
                  error={errors.publicationDirector}
                />
                <Field as="textarea" name="address" label={t("create.form.address")} required rows={2} defaultValue={values.address} error={errors.address} />
                <Field name="legalEmail" type="email" label={t("create.form.legalEmail")} required defaultValue={values.legalEmail} error={errors.legalEmail} />
                <Field
                  as="textarea"
                  name="hosting"
                  label={t("create.form.hosting")}
                  hint={t("create.form.hostingHint")}
                  required
                  rows={2}
                  defaultValue={values.hosting}
                  error={errors.hosting}
                />
                <Field
                  name="accessibilityEmail"
                  type="email"
                  label={t("create.form.accessibilityEmail")}
                  hint={t("create.form.accessibilityNote")}
                  required
                  defaultValue={values.accessibilityEmail}
                  error={errors.accessibilityEmail}
                />
              </fieldset>

              <fieldset className="operator-fieldset">
                <legend>{t("create.form.staff")}</legend>
                <Field
                  name="staffEmail"
                  type="email"
                  label={t("create.form.staffEmail")}
                  hint={t("create.form.staffEmailHint")}
                  required
                  autoComplete="off"
                  defaultValue={values.staffEmail}
                  error={errors.staffEmail}
                />
              </fieldset>

              <p>
                <button type="submit" className="button">
                  {t("create.form.submit")}
                </button>
              </p>
            </Form>
          </section>
        </>
      ) : null}
    </>
  );
}
