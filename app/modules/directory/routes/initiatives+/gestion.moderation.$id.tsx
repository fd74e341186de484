// One listing of the moderation queue, with its likely duplicates, and the decisions:
// approve, ask for changes (the submitter gets an edit link), refuse with a reason, or merge
// it into a duplicate. A decision someone else already took is reported, never applied twice.
// For those whose rules let them moderate this listing (staff, by default); a merge needs
// the same right on the listing it goes into.
import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { tenantOrigin } from "~/core/http/urls.server";
import { notFound, tenantAction, tenantLoader } from "~/core/route.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Field } from "~/core/ui/form";
import { parseForm } from "~/core/ui/form.server";
import { formatDateTime } from "~/core/ui/format";
import { titledMeta } from "~/core/ui/meta";
import { allowedListings, may, requireVisible } from "../../data/access.server";
import { findLikelyDuplicates } from "../../data/duplicates.server";
import { approveListing, getModerationItem, mergeListing, ModerationRefused, refuseListing, requestChanges } from "../../data/moderation.server";
import { readInitiative } from "../../data/revisions.server";
import { getVocabularies } from "../../data/vocabulary.server";
import { queueDirectoryEmail } from "../../mail.server";
import { languageOptions } from "../../public.server";
import { vocabularyLabel } from "../../vocabulary";

const MODERATORS = { module: "directory", can: { action: "moderate", subject: "Initiative" } };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

export const loader = /* @__PURE__ */ tenantLoader(async ({ params, tx, tenant, locale, t, ability, authorize }) => {
  const item = await getModerationItem(tx, params.id ?? "");
  if (!item) notFound();
  const { listing: l, photos } = item;
  const rules = await ability();
  requireVisible(rules, l);
  await authorize("moderate", "Initiative", l);
  const vocabularies = await getVocabularies(tx);
  const duplicates = await findLikelyDuplicates(tx, l.id, allowedListings(rules, "moderate", "other"));
  return json({
    title: t("directory:moderation.item.title", { name: l.name }),
    town: tenant.name,
    listing: {
      id: l.id,
      name: l.name,
      status: l.status,
      kind: vocabularyLabel(vocabularies.kind, l.kind, locale),
      stage: l.stage ? vocabularyLabel(vocabularies.stage, l.stage, locale) : null,
      layers: l.layers.map((k) => vocabularyLabel(vocabularies.layer, k, locale)),
      description: l.description,
      address: l.address,
      neighbourhood: l.neighbourhood,
      position: l.latitude !== null && l.longitude !== null ? `${l.latitude}, ${l.longitude}` : null,
      contact: [l.contact_name, l.contact_email, l.contact_phone].filter(Boolean).join(" · "),
      contactPublic: l.contact_public,
      links: l.links,
      schedule: l.schedule,
      languages: languageOptions(l.languages, locale).map((o) => o.label),
      accessibilityNotes: l.accessibility_notes,
      submitter: [l.submitter_name, l.submitter_email].filter(Boolean).join(" · "),
      note: l.moderation_note,
      createdAt: formatDateTime(l.created_at, tenant.timeZone),
      decidable: l.status === "pending" || l.status === "changes_requested",
      mergeable: ["pending", "changes_requested", "published"].includes(l.status),
    },
    photos,
    duplicates,
  });
}, MODERATORS);

const messageSchema = (field: "message" | "reason") =>
  z.object({
    [field]: z
      .string({ required_error: `directory:moderation.item.errors.${field}Required` })
      .trim()
      .min(5, `directory:moderation.item.errors.${field}Required`)
      .max(2000, "common:form.errors.tooLong"),
  });

export const action = /* @__PURE__ */ tenantAction(async ({ request, params, form, tx, tenant, user, afterCommit, ability, authorize }) => {
  const id = params.id ?? "";
  const rules = await ability();
  const current = await readInitiative(tx, id);
  if (!current) notFound();
  requireVisible(rules, current);
  await authorize("moderate", "Initiative", current);
  const staff = { userId: user!.id, label: user!.displayName };
  const mail = { tx, tenant, afterCommit };
  const origin = tenantOrigin(request, tenant);
  const intent = form.get("intent");
  try {
    if (intent === "approve") {
      const listing = await approveListing(tx, id, staff);
      if (listing.submitter_email) {
        await queueDirectoryEmail(mail, {
          to: listing.submitter_email,
          template: "submissionPublished",
          locale: tenant.defaultLocale,
          vars: { name: listing.submitter_name, initiative: listing.name, url: `${origin}/initiatives/${listing.id}` },
        });
      }
      return redirect("/initiatives/gestion/moderation?fait=approuvee");
    }
    if (intent === "changes") {
      const parsed = parseForm(messageSchema("message"), form);
      if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values }, { status: 400 });
      const message = String(parsed.data.message);
      const { listing, token } = await requestChanges(tx, id, message, staff);
      if (listing.submitter_email) {
        await queueDirectoryEmail(mail, {
          to: listing.submitter_email,
          template: "changesRequested",
          locale: tenant.defaultLocale,
          vars: { name: listing.submitter_name, initiative: listing.name, message, url: `${origin}/initiatives/lien?jeton=${token}` },
        });
      }
      return redirect("/initiatives/gestion/moderation?fait=modifications");
    }
    if (intent === "refuse") {
      const parsed = parseForm(messageSchema("reason"), form);
      if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values }, { status: 400 });
      const reason = String(parsed.data.reason);
      const listing = await refuseListing(tx, id, reason, staff);
      if (listing.submitter_email) {
        await queueDirectoryEmail(mail, {
          to: listing.submitter_email,
          template: "submissionRefused",
          locale: tenant.defaultLocale,
          vars: { name: listing.submitter_name, initiative: listing.name, reason },
        });
      }
      return redirect("/initiatives/gestion/moderation?fait=refusee");
    }
    if (intent === "merge") {
      await mergeListing(tx, id, String(form.get("target") ?? ""), staff, (target) => may(rules, "moderate", target));
      return redirect("/initiatives/gestion/moderation?fait=fusionnee");
    }
  } catch (error) {
    if (!(error instanceof ModerationRefused)) throw error;
    if (error.code === "notFound") notFound();
    return json({ errors: { _form: `directory:moderation.errors.${error.code}` }, values: {} }, { status: 409 });
  }
  return json({ errors: { _form: "directory:moderation.errors.unknownAction" }, values: {} }, { status: 400 });
}, MODERATORS);

export default function ModerationItemPage() {
  const { listing: l, photos, duplicates } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("directory");
  const errors: Record<string, string> = result?.errors ?? {};
  const values: Record<string, string> = result?.values ?? {};
  const facts: Array<[string, string | null]> = [
    ["moderation.fields.kind", l.kind],
    ["moderation.fields.stage", l.stage],
    ["moderation.fields.layers", l.layers.join(", ") || null],
    ["moderation.fields.address", l.address],
    ["moderation.fields.neighbourhood", l.neighbourhood],
    ["moderation.item.position", l.position],
    ["moderation.item.contact", l.contact ? `${l.contact} (${t(l.contactPublic ? "moderation.item.contactShown" : "moderation.item.contactHidden")})` : null],
    ["moderation.fields.links", l.links.join(" · ") || null],
    ["moderation.fields.schedule", l.schedule],
    ["moderation.fields.languages", l.languages.join(", ")],
    ["moderation.fields.accessibilityNotes", l.accessibilityNotes],
    ["moderation.item.submitter", l.submitter || null],
    ["moderation.item.created", l.createdAt],
  ];
  return (
    <>
      <p>
        <Link to="/initiatives/gestion/moderation">{t("moderation.item.back")}</Link>
      </p>
      <h1>{l.name}</h1>
      <p>
        {t("moderation.history.status", { status: t(`moderation.statuses.${l.status}`) })} ·{" "}
        <Link to={`/initiatives/${l.id}/historique`}>{t("moderation.history.link")}</Link>
      </p>
      <ErrorSummary errors={errors} />
      {l.note ? (
        <section aria-labelledby="item-note" className="directory-note">
          <h2 id="item-note">{t("moderation.item.note")}</h2>
          <p className="directory-pre">{l.note}</p>
        </section>
      ) : null}
      <section aria-labelledby="item-content">
        <h2 id="item-content">{t("moderation.item.content")}</h2>
        {l.description ? <p className="directory-pre">{l.description}</p> : null}
        <dl className="directory-facts">
          {facts
            .filter(([, value]) => value)
            .map(([key, value]) => (
              <div key={key} className="directory-facts__row">
                <dt>{t(key)}</dt>
                <dd>{value}</dd>
              </div>
            ))}
        </dl>
        {photos.length ? (
          <ul className="directory-photo-list">
            {photos.map((p, i) => (
              <li key={p.id}>
                <img src={`/initiatives/gestion/moderation/photos/${p.id}`} alt={p.alt || t("moderation.form.photoNumber", { number: i + 1 })} width={p.width} height={p.height} loading="lazy" />
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      <section aria-labelledby="item-duplicates">
        <h2 id="item-duplicates">{t("moderation.item.duplicates", { count: duplicates.length })}</h2>
        <p>{t("moderation.item.duplicatesHelp")}</p>
        {duplicates.length ? (
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="item-duplicates-caption">
            <table>
              <caption id="item-duplicates-caption">{t("moderation.item.duplicatesCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("moderation.fields.name")}</th>
                  <th scope="col">{t("moderation.item.similarity")}</th>
                  <th scope="col">{t("moderation.item.distance")}</th>
                  <th scope="col">{t("moderation.item.statusColumn")}</th>
                  {l.mergeable ? <th scope="col">{t("moderation.item.mergeColumn")}</th> : null}
                </tr>
              </thead>
              <tbody>
                {duplicates.map((d) => (
                  <tr key={d.id}>
                    <th scope="row">
                      <Link to={`/initiatives/gestion/moderation/${d.id}`}>{d.name}</Link>
                      {d.address ? <span className="directory-muted"> · {d.address}</span> : null}
                    </th>
                    <td>{t("moderation.item.similarityValue", { percent: Math.round(d.similarity * 100) })}</td>
                    <td>{d.distanceM === null ? t("moderation.item.noDistance") : t("moderation.item.distanceValue", { metres: d.distanceM })}</td>
                    <td>{t(`moderation.statuses.${d.status}`)}</td>
                    {l.mergeable ? (
                      <td>
                        {d.status === "pending" || d.status === "published" ? (
                          <Form method="post">
                            <CsrfInput />
                            <input type="hidden" name="target" value={d.id} />
                            <button type="submit" name="intent" value="merge" className="button button--secondary">
                              {t("moderation.item.merge")}
                              <span className="visually-hidden"> {t("moderation.item.mergeInto", { name: d.name })}</span>
                            </button>
                          </Form>
                        ) : (
                          t("moderation.item.cannotMerge")
                        )}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>

      {l.decidable ? (
        <section aria-labelledby="item-decide">
          <h2 id="item-decide">{t("moderation.item.decide")}</h2>
          <Form method="post" className="form">
            <CsrfInput />
            <p>{t("moderation.item.approveHelp")}</p>
            <p>
              <button type="submit" name="intent" value="approve" className="button">
                {t("moderation.item.approve")}
              </button>
            </p>
          </Form>
          {l.status === "pending" ? (
            <Form method="post" noValidate className="form">
              <CsrfInput />
              <Field
                as="textarea"
                name="message"
                rows={4}
                label={t("moderation.item.message")}
                hint={t("moderation.item.messageHint")}
                required
                error={errors.message}
                defaultValue={values.message}
              />
              <p>
                <button type="submit" name="intent" value="changes" className="button button--secondary">
                  {t("moderation.item.askChanges")}
                </button>
              </p>
            </Form>
          ) : null}
          <Form method="post" noValidate className="form">
            <CsrfInput />
            <Field as="textarea" name="reason" rows={4} label={t("moderation.item.reason")} hint={t("moderation.item.reasonHint")} required error={errors.reason} defaultValue={values.reason} />
            <p>
              <button type="submit" name="intent" value="refuse" className="button button--secondary">
                {t("moderation.item.refuse")}
              </button>
            </p>
          </Form>
        </section>
      ) : null}
    </>
  );
}
