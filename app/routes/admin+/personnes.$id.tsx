import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import {
  addPersonRole,
  addRoleSchema,
  deactivatePerson,
  getPerson,
  listOrganisations,
  PeopleError,
  reactivatePerson,
  removePersonRole,
  roleOptions,
} from "~/core/people.server";
import { notFound, tenantAction, tenantLoader } from "~/core/route.server";
import { Breadcrumb, RoleFields } from "~/core/ui/ConsolePeople";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Notice } from "~/core/ui/form";
import { parseForm } from "~/core/ui/form.server";
import { formatDateTime } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

const OK_MESSAGES = ["roleAdded", "roleAlreadyHeld", "roleRemoved", "deactivated", "reactivated", "unchanged"] as const;

/** One account: who it is, its roles (add, remove), and whether it may sign in. */
export const loader = /* @__PURE__ */ tenantLoader(
  async ({ params, tx, tenant, t, locale, user }) => {
    const person = await getPerson(tx, params.id ?? "");
    if (!person) notFound();
    const roles = await roleOptions(tx, t, locale);
    const organisations = await listOrganisations(tx);
    return json({
      town: tenant.name,
      title: person.displayName,
      timeZone: tenant.timeZone,
      isSelf: person.id === user!.id,
      person: {
        ...person,
        locale: person.locale === "fr" || person.locale === "en" ? t(`console-people:languages.${person.locale}`) : null,
        roles: person.roles.map((r) => ({ ...r, label: roles.label(r.role) })),
      },
      roles: roles.options,
      organisations: organisations.map((o) => ({ id: o.id, name: o.name })),
    });
  },
  { console: true, sensitive: true },
);

type Intent = "add-role" | "remove-role" | "deactivate" | "reactivate";

export const action = /* @__PURE__ */ tenantAction(
  async ({ params, form, tx, user }) => {
    // Unknown and other towns' ids answer 404 before anything is written.
    const person = await getPerson(tx, params.id ?? "");
    if (!person) notFound();
    const actor = user!;
    const intent = String(form.get("intent") ?? "") as Intent;
    const done = (ok: (typeof OK_MESSAGES)[number]) => redirect(`/admin/personnes/${person.id}?ok=${ok}`);
    const refused = (error: PeopleError, values: Record<string, string> = {}) =>
      json({ intent, errors: { [error.field]: error.key } as Record<string, string>, values }, { status: 400 });
    try {
      switch (intent) {
        case "add-role": {
          const parsed = parseForm(addRoleSchema, form);
          if (!parsed.ok) return json({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
          try {
            const { created } = await addPersonRole(tx, actor, person, parsed.data);
            return done(created ? "roleAdded" : "roleAlreadyHeld");
          } catch (error) {
            if (error instanceof PeopleError) return refused(error, { role: parsed.data.role, organisationId: parsed.data.organisationId ?? "" });
            throw error;
          }
        }
        case "remove-role": {
          const removed = await removePersonRole(tx, actor, person, String(form.get("grantId") ?? ""));
          if (!removed) notFound();
          return done("roleRemoved");
        }
        case "deactivate":
          return done((await deactivatePerson(tx, actor, person)).changed ? "deactivated" : "unchanged");
        case "reactivate":
          return done((await reactivatePerson(tx, actor, person)).changed ? "reactivated" : "unchanged");
        default:
          return json({ intent, errors: { _form: "console-people:errors.unknownIntent" } as Record<string, string>, values: {} }, { status: 400 });
      }
    } catch (error) {
      if (error instanceof PeopleError) return refused(error);
      throw error;
    }
  },
  { console: true, sensitive: true },
);

export default function Person() {
  const { person, roles, organisations, isSelf, timeZone } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation("console-people");
  const ok = OK_MESSAGES.find((m) => m === searchParams.get("ok"));
  const addErrors = data?.intent === "add-role" ? data.errors : undefined;
  const when = (date: string) => formatDateTime(date, timeZone);
  return (
    <>
      <Breadcrumb trail={[{ to: "/admin/personnes", label: t("list.title") }]} current={person.displayName} />
      <h1>
        {person.displayName}
        {person.isDemo ? (
          <>
            {" "}
            <span className="people-tag">{t("demo")}</span>
          </>
        ) : null}
      </h1>
      {ok && !data ? <Notice>{t(`person.ok.${ok}`)}</Notice> : null}
      <ErrorSummary errors={data?.errors} />

      <section>
        <h2 id="person-identity">{t("person.identity")}</h2>
        <dl className="people-facts">
          <dt>{t("person.email")}</dt>
          <dd className="people-email">{person.email}</dd>
          <dt>{t("person.emailVerified")}</dt>
          <dd>{person.emailVerifiedAt ? t("person.verifiedOn", { date: when(person.emailVerifiedAt) }) : t("person.notVerified")}</dd>
          <dt>{t("person.status")}</dt>
          <dd>{person.deactivatedAt ? t("person.deactivatedSince", { date: when(person.deactivatedAt) }) : t("status.active")}</dd>
          <dt>{t("person.twoFactor")}</dt>
          <dd>{person.totpEnabledAt ? t("person.twoFactorOn", { date: when(person.totpEnabledAt) }) : t("person.twoFactorOff")}</dd>
          <dt>{t("person.language")}</dt>
          <dd>{person.locale ?? t("person.languageUnset")}</dd>
          <dt>{t("person.created")}</dt>
          <dd>{when(person.createdAt)}</dd>
          <dt>{t("person.lastSeen")}</dt>
          <dd>{person.lastSeenAt ? when(person.lastSeenAt) : t("never")}</dd>
          <dt>{t("person.sessions")}</dt>
          <dd>{t("person.sessionsCount", { count: person.openSessions })}</dd>
        </dl>
        {person.isDemo ? <p>{t("person.demoNote")}</p> : null}
      </section>

      <section>
        <h2 id="person-roles">{t("person.roles")}</h2>
        {person.roles.length === 0 ? (
          <p>{t("person.noRoles")}</p>
        ) : (
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">
                {t("person.rolesCaption", { name: person.displayName })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t("person.role")}</th>
                  <th scope="col">{t("person.organisation")}</th>
                  <th scope="col">{t("person.grantedAt")}</th>
                  <th scope="col">{t("person.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {person.roles.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{r.label}</th>
                    <td>{r.organisationName ?? t("person.noOrganisation")}</td>
                    <td>{when(r.grantedAt)}</td>
                    <td>
                      {isSelf && r.role === "staff" ? (
                        t("person.ownStaffRole")
                      ) : (
                        <Form method="post">
                          <CsrfInput />
                          <input type="hidden" name="intent" value="remove-role" />
                          <input type="hidden" name="grantId" value={r.id} />
                          <button type="submit" className="button button--secondary">
                            {t("person.removeRole")}
                            <span className="visually-hidden">
                              {" "}
                              {r.organisationName ? t("roleInOrganisation", { role: r.label, organisation: r.organisationName }) : r.label}
                            </span>
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section>
        <h2 id="person-add-role">{t("person.addRole")}</h2>
        <Form method="post" noValidate className="form">
          <CsrfInput />
          <input type="hidden" name="intent" value="add-role" />
          <RoleFields roles={roles} organisations={organisations} values={data?.intent === "add-role" ? data.values : undefined} errors={addErrors} />
          {organisations.length === 0 ? (
            <p>
              <Link to="/admin/organisations">{t("person.createOrganisation")}</Link>
            </p>
          ) : null}
          <p>
            <button type="submit" className="button">
              {t("person.addRoleSubmit")}
            </button>
          </p>
        </Form>
      </section>

      <section>
        <h2 id="person-access">{t("person.access")}</h2>
        {person.deactivatedAt ? (
          <>
            <p>{t("person.reactivateHelp")}</p>
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="reactivate" />
              <button type="submit" className="button">
                {t("person.reactivate")}
              </button>
            </Form>
          </>
        ) : isSelf ? (
          <p>{t("person.selfDeactivate")}</p>
        ) : (
          <>
            <p>{t("person.deactivateHelp")}</p>
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="deactivate" />
              <button type="submit" className="button button--danger">
                {t("person.deactivate")}
              </button>
            </Form>
          </>
        )}
      </section>
    </>
  );
}
