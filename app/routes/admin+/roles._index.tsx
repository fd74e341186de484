import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { recordAudit, staffActor } from "~/core/audit.server";
import { RoleDefinitionError, MAX_ROLE_LABEL } from "~/core/permissions/errors";
import { createCustomRole } from "~/core/permissions/rules.server";
import { tenantAction, tenantLoader } from "~/core/route.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { MessageSummary, SelectField, TextField } from "~/core/ui/console/roles-form";
import { deriveRoleKey, listConsoleRoles, roleHolderCounts, roleName } from "~/core/ui/console/roles.server";
import { Notice } from "~/core/ui/form";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

const CONSOLE = { console: true, sensitive: true } as const;

/** The form's fields, and the element ids its errors link to. */
const FIELDS = { labelFr: "role-label-fr", labelEn: "role-label-en", key: "role-key", basedOn: "role-based-on" } as const;
/** Where each refusal of createCustomRole belongs (RoleDefinitionError.field). */
const FIELD_OF = { role: FIELDS.basedOn, key: FIELDS.key, labels: FIELDS.labelFr, "labels.fr": FIELDS.labelFr, "labels.en": FIELDS.labelEn } as const;

export const loader = /* @__PURE__ */ tenantLoader(async ({ request, tx, tenant, t, locale }) => {
  const [roles, counts] = await Promise.all([listConsoleRoles(tx), roleHolderCounts(tx)]);
  const ok = new URL(request.url).searchParams.get("ok");
  return json({
    town: tenant.name,
    title: t("console-roles:list.title"),
    ok: ok === "deleted" ? ok : null,
    roles: roles.map((r) => ({ key: r.key, kind: r.kind, name: roleName(t, locale, r), holders: r.kind === "visitor" ? null : (counts.get(r.key) ?? 0) })),
  });
}, CONSOLE);

export const action = /* @__PURE__ */ tenantAction(async ({ form, tx, t, user }) => {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v.trim() : "";
  };
  const values = { labelFr: text("labelFr"), labelEn: text("labelEn"), key: text("key"), basedOn: text("basedOn") };
  // Without a French name there is no key to derive either: say what is missing.
  if (!values.labelFr && !values.key) {
    return json({ errors: { [FIELDS.labelFr]: t("permissions:roleErrors.labelRequired") } as Record<string, string>, values }, { status: 400 });
  }
  const key = values.key || deriveRoleKey(values.labelFr);
  try {
    const created = await createCustomRole(tx, { key, labels: { fr: values.labelFr, en: values.labelEn }, basedOn: values.basedOn || undefined });
    await recordAudit(tx, {
      actor: staffActor(user!),
      action: "role.create",
      subject: { type: "role", id: created.key },
      after: { key: created.key, labels: created.labels, basedOn: values.basedOn || null, rules: created.rules },
    });
    return redirect(`/admin/roles/${created.key}?ok=created`);
  } catch (error) {
    if (!(error instanceof RoleDefinitionError)) throw error;
    const field = FIELD_OF[error.field as keyof typeof FIELD_OF] ?? FIELDS.labelFr;
    const derivedUnusable = !values.key && error.code === "invalidKey";
    const message = derivedUnusable ? t("console-roles:errors.derivedKey") : error.translate(t);
    return json({ errors: { [field]: message } as Record<string, string>, values }, { status: 400 });
  }
}, CONSOLE);

export default function RolesIndex() {
  const { town, ok, roles } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("console-roles");
  const errors = data?.errors ?? {};
  const values = data?.values;
  return (
    <>
      <p>
        <Link to="/admin">{t("back")}</Link>
      </p>
      <h1>{t("list.title")}</h1>
      <p className="lead">{t("list.intro")}</p>
      {ok === "deleted" ? <Notice>{t("list.deleted")}</Notice> : null}
      <div className="table-scroll" role="region" tabIndex={0} aria-labelledby="roles-caption">
        <table className="roles-table">
          <caption id="roles-caption">{t("list.caption", { town })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("list.role")}</th>
              <th scope="col">{t("list.kind")}</th>
              <th scope="col">{t("list.holders")}</th>
            </tr>
          </thead>
          <tbody>
            {roles.map((r) => (
              <tr key={r.key}>
                <th scope="row">
                  <Link to={`/admin/roles/${r.key}`}>{r.name}</Link>
                </th>
                <td>{t(`list.kinds.${r.kind}`)}</td>
                <td>
                  {r.holders === null ? (
                    t("list.holdersNotApplicable")
                  ) : r.holders > 0 ? (
                    <Link to={`/admin/personnes?role=${r.key}`}>
                      {t("list.holdersCount", { count: r.holders })}
                      <span className="visually-hidden"> ({r.name})</span>
                    </Link>
                  ) : (
                    t("list.holdersCount", { count: r.holders })
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <section aria-labelledby="create-role" className="roles-create">
        <h2 id="create-role">{t("create.title")}</h2>
        <p>{t("create.intro")}</p>
        <Form method="post" noValidate className="form">
          <CsrfInput />
          <MessageSummary errors={errors} />
          <TextField id={FIELDS.labelFr} name="labelFr" label={t("create.labelFr")} required maxLength={MAX_ROLE_LABEL} defaultValue={values?.labelFr} error={errors[FIELDS.labelFr]} />
          <TextField id={FIELDS.labelEn} name="labelEn" label={t("create.labelEn")} hint={t("create.labelEnHint")} maxLength={MAX_ROLE_LABEL} defaultValue={values?.labelEn} error={errors[FIELDS.labelEn]} />
          <TextField id={FIELDS.key} name="key" label={t("create.key")} hint={t("create.keyHint")} maxLength={40} defaultValue={values?.key} error={errors[FIELDS.key]} />
          <SelectField
            id={FIELDS.basedOn}
            name="basedOn"
            label={t("create.basedOn")}
            defaultValue={values?.basedOn ?? ""}
            error={errors[FIELDS.basedOn]}
            options={[{ value: "", label: t("create.basedOnNone") }, ...roles.map((r) => ({ value: r.key, label: t("create.basedOnRole", { role: r.name }) }))]}
          />
          <p>
            <button type="submit" className="button">
              {t("create.submit")}
            </button>
          </p>
        </Form>
      </section>
    </>
  );
}
