// Anyone the town's rules allow to propose an initiative (everyone, by default, without an
// account): the listing is kept unconfirmed until the submitter opens the link emailed to
// them, then waits for moderation.
import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { tenantOrigin } from "~/core/http/urls.server";
import { tenantAction, tenantLoader } from "~/core/route.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Field, Notice } from "~/core/ui/form";
import { titledMeta } from "~/core/ui/meta";
import { ListingFields, PhotoFields, type ListingFormState } from "../../components/ListingFields";
import { createSubmission, formFailure, parseSubmissionForm, tooManyUnconfirmed } from "../../data/submission.server";
import { MAX_PHOTOS, UPLOAD_MAX_BODY_BYTES } from "../../listing-form";
import { listingFormSetup } from "../../listing-options.server";
import { queueDirectoryEmail } from "../../mail.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ request, tx, tenant, user, locale, t }) => {
    const { options } = await listingFormSetup(tx, tenant, locale);
    return json({
      title: t("directory:moderation.submit.title"),
      town: tenant.name,
      options,
      sent: new URL(request.url).searchParams.get("envoye") === "1",
      prefill: { submitterName: user?.displayName ?? "", submitterEmail: user?.email ?? "" },
    });
  },
  { module: "directory", can: { action: "create", subject: "Initiative" } },
);

export const action = /* @__PURE__ */ tenantAction(
  async ({ request, form, tx, tenant, user, locale, afterCommit }) => {
    const { context } = await listingFormSetup(tx, tenant, locale);
    const parsed = await parseSubmissionForm(form, context);
    if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values, lists: parsed.lists }, { status: 400 });
    if (await tooManyUnconfirmed(tx, parsed.submitter.submitterEmail)) {
      const { errors, values, lists } = formFailure(form, { submitterEmail: "directory:moderation.errors.tooManyUnconfirmed" });
      return json({ errors, values, lists }, { status: 400 });
    }
    const { token } = await createSubmission(tx, tenant.id, { listing: parsed.listing, photos: parsed.photos, submitter: parsed.submitter, userId: user?.id ?? null });
    await queueDirectoryEmail(
      { tx, tenant, afterCommit },
      {
        to: parsed.submitter.submitterEmail,
        template: "confirmSubmission",
        locale,
        vars: { name: parsed.submitter.submitterName, initiative: parsed.listing.name, url: `${tenantOrigin(request, tenant)}/initiatives/confirmer?jeton=${token}` },
      },
    );
    return redirect("/initiatives/proposer?envoye=1");
  },
  { module: "directory", can: { action: "create", subject: "Initiative" }, maxBodyBytes: UPLOAD_MAX_BODY_BYTES },
);

export default function ProposePage() {
  const { title, options, sent, prefill } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("directory");
  if (sent) {
    return (
      <>
        <h1>{title}</h1>
        <Notice>{t("moderation.submit.sent")}</Notice>
        <p>{t("moderation.submit.sentNext")}</p>
        <p>
          <Link to="/initiatives">{t("moderation.submit.backToList")}</Link>
        </p>
      </>
    );
  }
  const state: ListingFormState = {
    values: data?.values ?? prefill,
    lists: data?.lists ?? { layers: [], languages: [] },
    errors: data?.errors ?? {},
  };
  return (
    <>
      <h1>{title}</h1>
      <p className="lead">{t("moderation.submit.intro")}</p>
      <p>{t("moderation.submit.steps")}</p>
      <Form method="post" encType="multipart/form-data" noValidate className="form directory-form">
        <CsrfInput />
        <ErrorSummary errors={state.errors} />
        <fieldset className="directory-fieldset">
          <legend>{t("moderation.form.you")}</legend>
          <Field
            name="submitterName"
            label={t("moderation.fields.submitterName")}
            required
            maxLength={100}
            autoComplete="name"
            error={state.errors.submitterName}
            defaultValue={state.values.submitterName}
          />
          <Field
            name="submitterEmail"
            type="email"
            label={t("moderation.fields.submitterEmail")}
            hint={t("moderation.form.submitterEmailHint")}
            required
            maxLength={254}
            autoComplete="email"
            error={state.errors.submitterEmail}
            defaultValue={state.values.submitterEmail}
          />
        </fieldset>
        <ListingFields options={options} state={state} />
        <PhotoFields state={state} room={MAX_PHOTOS} />
        <p>
          <button type="submit" className="button">
            {t("moderation.submit.send")}
          </button>
        </p>
      </Form>
    </>
  );
}
