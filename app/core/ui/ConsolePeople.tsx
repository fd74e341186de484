// Pieces shared by the staff console's people, invitation and organisation pages
// (app/routes/admin+/personnes*, organisations*). Texts come from the `console-people` namespace.
import { Link } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Field } from "./form";

export type RoleChoice = { value: string; label: string; needsOrganisation: boolean };
export type OrganisationChoice = { id: string; name: string };

/** Where the page sits in the console: links up to the console's home, then the page itself. */
export function Breadcrumb({ trail, current }: { trail: { to: string; label: string }[]; current: string }) {
  const { t } = useTranslation("console-people");
  return (
    <nav aria-label={t("breadcrumb")} className="people-breadcrumb">
      <ol>
        <li>
          <Link to="/admin">{t("consoleHome")}</Link>
        </li>
        {trail.map((step) => (
          <li key={step.to}>
            <Link to={step.to}>{step.label}</Link>
          </li>
        ))}
        <li aria-current="page">{current}</li>
      </ol>
    </nav>
  );
}

/**
 * The role select, and the organisation select that association roles need. Without
 * JavaScript both are shown (the hint says when the organisation counts, the server checks
 * it); with it, the organisation select appears, required, only for a role that needs one.
 */
export function RoleFields({
  roles,
  organisations,
  values,
  errors,
}: {
  roles: RoleChoice[];
  organisations: OrganisationChoice[];
  values?: Record<string, string | undefined>;
  errors?: Record<string, string | undefined>;
}) {
  const { t } = useTranslation("console-people");
  const [role, setRole] = useState(values?.role ?? "");
  const [scripted, setScripted] = useState(false);
  useEffect(() => setScripted(true), []);
  const needsOrganisation = roles.find((r) => r.value === role)?.needsOrganisation ?? false;
  const showOrganisation = !scripted || needsOrganisation || Boolean(errors?.organisationId);
  const organisationHint =
    organisations.length === 0
      ? t("roleFields.noOrganisation")
      : scripted
        ? t("roleFields.organisationHintRequired")
        : t("roleFields.organisationHint", { roles: roles.filter((r) => r.needsOrganisation).map((r) => `« ${r.label} »`).join(", ") });
  return (
    <>
      <Field
        as="select"
        name="role"
        label={t("roleFields.role")}
        required
        options={[{ value: "", label: t("roleFields.chooseRole") }, ...roles.map((r) => ({ value: r.value, label: r.label }))]}
        defaultValue={values?.role ?? ""}
        error={errors?.role}
        onChange={(e) => setRole(e.currentTarget.value)}
      />
      {showOrganisation ? (
        <Field
          as="select"
          name="organisationId"
          label={t("roleFields.organisation")}
          required={scripted}
          hint={organisationHint}
          options={[{ value: "", label: t("roleFields.chooseOrganisation") }, ...organisations.map((o) => ({ value: o.id, label: o.name }))]}
          defaultValue={values?.organisationId ?? ""}
          error={errors?.organisationId}
        />
      ) : null}
    </>
  );
}

/** Previous / next page links of a paginated list, keeping its other parameters. */
export function Pager({ page, pageCount, href, label }: { page: number; pageCount: number; href: (page: number) => string; label: string }) {
  const { t } = useTranslation("console-people");
  if (pageCount <= 1) return null;
  return (
    <nav aria-label={label} className="pagination">
      <ul>
        {page > 1 ? (
          <li>
            <Link to={href(page - 1)}>{t("pager.previous")}</Link>
          </li>
        ) : null}
        <li aria-current="page">{t("pager.current", { page, total: pageCount })}</li>
        {page < pageCount ? (
          <li>
            <Link to={href(page + 1)}>{t("pager.next")}</Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
