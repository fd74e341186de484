import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { tenantOrigin } from "~/core/http/urls.server";
import { INVITATION_TTL_DAYS, inviteSchema, inviteToTown, listOrganisations, roleOptions } from "~/core/people.server";
import { tenantAction, tenantLoader } from "~/core/route.server";
import { Breadcrumb, RoleFields } from "~/core/ui/ConsolePeople";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Field } from "~/core/ui/form";
import { parseForm } from "~/core/ui/form.server";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

/** Inviting someone by email with a role: staff, association managers, repairers, elected officials… */
export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tx, tenant, t, locale }) => {
    const roles = await roleOptions(tx, t, locale);
    const organisations = await listOrganisations(tx);
    return json({
      town: tenant.name,
      title: t("console-people:invite.title"),
      days: INVITATION_TTL_DAYS,
      roles: roles.options,
      organisations: organisations.map((o) => ({ id: o.id, name: o.name })),
      locales: tenant.locales,
      defaultLocale: tenant.defaultLocale,
    });
  },
  { console: true, sensitive: true },
);

export const action = /* @__PURE__ */ tenantAction(
  async ({ form, tx, tenant, user, request, afterCommit }) => {
    const parsed = parseForm(inviteSchema, form);
    if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values, existingAccountId: null }, { status: 400 });
    const result = await inviteToTown(
      { tx, tenant, afterCommit, origin: tenantOrigin(request, tenant), locale: parsed.data.locale, tenantLocales: tenant.locales },
      user!,
      parsed.data,
    );
    if (!result.ok) {
      const values = { email: parsed.data.email, role: parsed.data.role, organisationId: parsed.data.organisationId ?? "", locale: parsed.data.locale };
      return json({ errors: result.errors, values, existingAccountId: result.existingAccountId ?? null }, { status: 400 });
    }
    const params = new URLSearchParams({ ok: result.existingAccount ? "sentToAccount" : "sent", email: parsed.data.email });
    if (result.existingAccount) params.set("compte", result.existingAccount.id);
    return redirect(`/admin/personnes/invitations?${params}`);
  },
  { console: true, sensitive: true },
);

export default function Invite() {
  const { days, roles, organisations, locales, defaultLocale } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("console-people");
  const values: Record<string, string | undefined> = data?.values ?? {};
  const errors: Record<string, string | undefined> = data?.errors ?? {};
  return (
    <>
      <Breadcrumb trail={[{ to: "/admin/personnes", label: t("list.title") }]} current={t("invite.title")} />
      <h1>{t("invite.title")}</h1>
      <p className="lead">{t("invite.intro", { count: days })}</p>
      <p>{t("invite.existingAccount")}</p>
      <Form method="post" noValidate className="form">
        <CsrfInput />
        <ErrorSummary errors={data?.errors} />
        {data?.existingAccountId ? (
          <p>
            <Link to={`/admin/personnes/${data.existingAccountId}`}>{t("invite.openAccount")}</Link>
          </p>
        ) : null}
        <Field name="email" type="email" autoComplete="off" label={t("invite.email")} required defaultValue={values.email} error={errors.email} />
        <RoleFields roles={roles} organisations={organisations} values={values} errors={errors} />
        <Field
          as="select"
          name="locale"
          label={t("invite.locale")}
          hint={t("invite.localeHint")}
          required
          defaultValue={values.locale ?? defaultLocale}
          error={errors.locale}
          options={locales.map((l) => ({ value: l, label: t(`languages.${l}`) }))}
        />
        <p>
          <button type="submit" className="button">
            {t("invite.submit")}
          </button>
        </p>
      </Form>
      <p>
        <Link to="/admin/personnes/invitations">{t("list.invitations")}</Link>
      </p>
    </>
  );
}
