// Claiming a listing for one's organisation, for those whose rules allow "claim" on it (an
// association's managers, by default), for the organisations whose listings they may edit;
// those allowed to decide claims do so on the moderation page. Once approved, the
// organisation's managers edit the listing and receive its reminders and contact requests.
import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFound, tenantAction, tenantLoader } from "~/core/route.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Field } from "~/core/ui/form";
import { titledMeta } from "~/core/ui/meta";
import { claimOrganisations, requireVisible } from "../../data/access.server";
import { ClaimRefused, createClaim, organisationsOf } from "../../data/claims.server";
import { readInitiative } from "../../data/revisions.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ params, tx, tenant, user, t, ability, authorize }) => {
    const listing = await readInitiative(tx, params.id ?? "");
    if (!listing || listing.status !== "published") notFound();
    const rules = await ability();
    requireVisible(rules, listing);
    await authorize("claim", "Initiative", listing);
    const organisations = await organisationsOf(tx, claimOrganisations(rules, user, listing));
    return json({
      title: t("directory:moderation.claim.title", { name: listing.name }),
      town: tenant.name,
      id: listing.id,
      name: listing.name,
      organisations,
      ownedByMine: listing.organisation_id !== null && organisations.some((o) => o.id === listing.organisation_id),
    });
  },
  { module: "directory", signedIn: true },
);

export const action = /* @__PURE__ */ tenantAction(
  async ({ params, form, tx, user, ability, authorize }) => {
    const organisationId = String(form.get("organisationId") ?? "");
    const message = String(form.get("message") ?? "").trim();
    const listing = await readInitiative(tx, params.id ?? "");
    if (!listing || listing.status !== "published") notFound();
    const rules = await ability();
    requireVisible(rules, listing);
    await authorize("claim", "Initiative", listing);
    try {
      await createClaim(tx, { initiativeId: listing.id, userId: user!.id, organisationId, allowedOrganisations: claimOrganisations(rules, user, listing), message });
    } catch (error) {
      if (!(error instanceof ClaimRefused)) throw error;
      if (error.code === "unknownListing") notFound();
      const field = error.code === "messageTooLong" ? "message" : error.code === "notManager" ? "organisationId" : "_form";
      return json({ errors: { [field]: `directory:moderation.claim.errors.${error.code}` }, values: { organisationId, message } }, { status: 400 });
    }
    return redirect("/initiatives/mon-espace?revendication=envoyee");
  },
  { module: "directory", signedIn: true },
);

export default function ClaimPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("directory");
  if (data.organisations.length === 0) {
    return (
      <>
        <h1>{data.title}</h1>
        <p className="lead">{t("moderation.claim.noOrganisation")}</p>
        <p>
          <Link to={`/initiatives/${data.id}`}>{t("moderation.link.seeListing")}</Link>
        </p>
      </>
    );
  }
  if (data.ownedByMine) {
    return (
      <>
        <h1>{data.title}</h1>
        <p className="lead">{t("moderation.claim.alreadyYours")}</p>
        <p>
          <Link to={`/initiatives/${data.id}/modifier`}>{t("moderation.space.edit", { name: data.name })}</Link>
        </p>
      </>
    );
  }
  const errors = result?.errors ?? {};
  return (
    <>
      <h1>{data.title}</h1>
      <p className="lead">{t("moderation.claim.intro")}</p>
      <Form method="post" noValidate className="form">
        <CsrfInput />
        <ErrorSummary errors={errors} />
        <Field
          as="select"
          name="organisationId"
          label={t("moderation.claim.organisation")}
          required
          error={errors.organisationId}
          defaultValue={result?.values.organisationId ?? data.organisations[0].id}
          options={data.organisations.map((o) => ({ value: o.id, label: o.name }))}
        />
        <Field
          as="textarea"
          name="message"
          rows={4}
          maxLength={2000}
          label={t("moderation.claim.message")}
          hint={t("moderation.claim.messageHint")}
          error={errors.message}
          defaultValue={result?.values.message}
        />
        <p>
          <button type="submit" className="button">
            {t("moderation.claim.send")}
          </button>
        </p>
      </Form>
    </>
  );
}
