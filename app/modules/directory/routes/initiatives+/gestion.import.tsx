// Importing listings from a CSV file, for those whose rules allow "import" (staff, by
// default). Upload, preview with every problem found (row, column, what is wrong), then
// confirm: all rows are published, or none. A row the rules do not let the user import (a
// rule limited to their neighbourhood, say) is one of the problems. Works without
// JavaScript: the preview is the action's page, and the confirmation form carries the
// previewed file back, signed (see data/import.server.ts for why).
import { json, redirect, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { AppAbility } from "~/core/permissions/ability.server";
import { tenantAction, tenantLoader, type RouteContext } from "~/core/route.server";
import { CsrfInput } from "~/core/ui/CsrfInput";
import { ErrorSummary, Field, Notice } from "~/core/ui/form";
import { titledMeta } from "~/core/ui/meta";
import { may } from "../../data/access.server";
import { analyseImport, decodeCsv, IMPORT_COLUMNS, importInitiatives, signImport, verifyImport, type ImportAnalysis, type ImportIssue } from "../../data/import.server";
import { getVocabularies } from "../../data/vocabulary.server";
import { CSV_LIST_SEPARATOR, IMPORT_MAX_BYTES, IMPORT_MAX_ROWS } from "../../opendata";
import { localisedVocabularies, vocabularyLabel } from "../../vocabulary";
import { VocabularyValues } from "../../components/VocabularyValues";

const PATH = "/initiatives/gestion/import";
const IMPORTERS = { module: "directory", can: { action: "import", subject: "Initiative" } };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => titledMeta(matches, data?.title, data?.town);

export const loader = /* @__PURE__ */ tenantLoader(async ({ request, tx, tenant, locale, t }) => {
  const vocabularies = await getVocabularies(tx);
  const imported = Number(new URL(request.url).searchParams.get("importe"));
  return json({
    title: t("directory:opendata.import.title"),
    town: tenant.name,
    imported: Number.isInteger(imported) && imported > 0 ? imported : null,
    vocabularies: localisedVocabularies(vocabularies, locale),
    columns: IMPORT_COLUMNS,
    bounds: tenant.definition.map.bounds,
  });
}, IMPORTERS);

type PreviewRow = { row: number; name: string; kind: string; stage: string | null; address: string; position: string | null; contactShown: boolean };
type IssueLine = { row: number | null; column: string | null; message: string };
type ActionData = {
  errors: Record<string, string>;
  issues: IssueLine[];
  fileName: string | null;
  preview: { rows: PreviewRow[]; payload: string; expires: string; signature: string } | null;
};

const text = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : "");

function translateIssues(t: RouteContext["t"], issues: ImportIssue[]): IssueLine[] {
  return issues.map((i) => ({ row: i.row, column: i.column, message: t(`directory:opendata.import.issues.${i.code}`, { ...i.params, column: i.column }) }));
}

function problems(t: RouteContext["t"], fileName: string | null, issues: ImportIssue[]) {
  const data: ActionData = { errors: { file: "directory:opendata.import.errors.fileHasProblems" }, issues: translateIssues(t, issues), fileName, preview: null };
  return json(data, { status: 400 });
}

/** The rows the user's rules do not let them import, as problems: imported rows are published and claimed by nobody. */
function refusedRows(ability: AppAbility, analysis: ImportAnalysis): ImportIssue[] {
  return analysis.rows
    .filter((r) => !may(ability, "import", { status: "published", organisation_id: null, neighbourhood: r.neighbourhood }))
    .map((r) => ({ row: r.row, column: null, code: "notAllowed" }));
}

export const action = /* @__PURE__ */ tenantAction(async ({ form, tx, tenant, user, locale, t, ability }) => {
  // `can` guarantees a signed-in user allowed to import.
  const staff = user!;
  const rules = await ability();
  const scope = { tenantId: tenant.id, userId: staff.id };
  const vocabularies = await getVocabularies(tx);
  const context = { vocabularies, bounds: tenant.definition.map.bounds };
  const fail = (key: string) => json<ActionData>({ errors: { file: `directory:opendata.import.errors.${key}` }, issues: [], fileName: null, preview: null }, { status: 400 });

  if (form.get("intent") === "confirm") {
    const fileName = text(form.get("fileName")) || null;
    const content = verifyImport({ payload: text(form.get("payload")), expires: text(form.get("expires")), signature: text(form.get("signature")) }, scope);
    if (content === null) return fail("expired");
    // Checked again: listings may have been added, and rules changed, since the preview.
    const analysis = await analyseImport(tx, content, context);
    const issues = [...analysis.issues, ...refusedRows(rules, analysis)];
    if (issues.length > 0) return problems(t, fileName, issues);
    const ids = await importInitiatives(tx, tenant.id, analysis.rows, { userId: staff.id, label: staff.displayName });
    return redirect(`${PATH}?importe=${ids.length}`);
  }

  const file = form.get("file");
  if (file === null || typeof file === "string" || (file.size === 0 && file.name === "")) return fail("fileMissing");
  if (file.size > IMPORT_MAX_BYTES) return fail("fileTooLarge");
  const fileName = file.name || null;
  const decoded = decodeCsv(new Uint8Array(await file.arrayBuffer()));
  if (!decoded.ok) return problems(t, fileName, [decoded.issue]);
  const analysis: ImportAnalysis = await analyseImport(tx, decoded.text, context);
  const issues = [...analysis.issues, ...refusedRows(rules, analysis)];
  if (issues.length > 0) return problems(t, fileName, issues);
  const signed = signImport(decoded.text, scope);
  const data: ActionData = {
    errors: {},
    issues: [],
    fileName,
    preview: {
      ...signed,
      rows: analysis.rows.map((r) => ({
        row: r.row,
        name: r.name,
        kind: vocabularyLabel(vocabularies.kind, r.kind, locale),
        stage: r.stage ? vocabularyLabel(vocabularies.stage, r.stage, locale) : null,
        address: [r.address, r.neighbourhood].filter(Boolean).join(" · "),
        position: r.latitude !== null && r.longitude !== null ? `${r.latitude}, ${r.longitude}` : null,
        contactShown: r.contactPublic,
      })),
    },
  };
  return json(data);
}, { ...IMPORTERS, maxBodyBytes: 2 * IMPORT_MAX_BYTES }); // the confirmation re-posts the file base64-encoded (4/3 of its size)

function UploadForm({ errors }: { errors: Record<string, string> }) {
  const { t } = useTranslation("directory");
  return (
    <Form method="post" encType="multipart/form-data" noValidate className="form">
      <CsrfInput />
      <input type="hidden" name="intent" value="preview" />
      <Field
        name="file"
        type="file"
        accept=".csv,text/csv"
        label={t("opendata.import.fileLabel")}
        hint={t("opendata.import.fileHint", { size: IMPORT_MAX_BYTES / (1024 * 1024), rows: IMPORT_MAX_ROWS })}
        required
        error={errors.file}
      />
      <p>
        <button type="submit" className="button">
          {t("opendata.import.check")}
        </button>
      </p>
    </Form>
  );
}

export default function ImportPage() {
  const { title, imported, vocabularies, columns, bounds } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("directory");
  const errors = data?.errors ?? {};
  const preview = data?.preview ?? null;
  return (
    <>
      <h1>{title}</h1>
      {imported ? <Notice>{t("opendata.import.done", { count: imported })}</Notice> : null}
      <ErrorSummary errors={errors} />
      {data && data.issues.length > 0 ? (
        <section aria-labelledby="import-problems">
          <h2 id="import-problems">{t("opendata.import.problemsTitle", { count: data.issues.length })}</h2>
          <p>{t("opendata.import.nothingImported")}</p>
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="import-problems-caption">
            <table>
              <caption id="import-problems-caption">{t("opendata.import.problemsCaption", { file: data.fileName ?? "" })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("opendata.import.row")}</th>
                  <th scope="col">{t("opendata.import.column")}</th>
                  <th scope="col">{t("opendata.import.problem")}</th>
                </tr>
              </thead>
              <tbody>
                {data.issues.map((i, n) => (
                  <tr key={n}>
                    <td>{i.row ?? t("opendata.import.wholeFile")}</td>
                    <td>{i.column ? <code>{i.column}</code> : "—"}</td>
                    <td>{i.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      {preview ? (
        <section aria-labelledby="import-preview">
          <h2 id="import-preview">{t("opendata.import.previewTitle")}</h2>
          <p role="status">{t("opendata.import.ready", { count: preview.rows.length, file: data?.fileName ?? "" })}</p>
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="import-preview-caption">
            <table>
              <caption id="import-preview-caption">{t("opendata.import.previewCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("opendata.import.row")}</th>
                  <th scope="col">{t("opendata.import.cols.name")}</th>
                  <th scope="col">{t("opendata.import.cols.kind")}</th>
                  <th scope="col">{t("opendata.import.cols.stage")}</th>
                  <th scope="col">{t("opendata.import.cols.address")}</th>
                  <th scope="col">{t("opendata.import.cols.position")}</th>
                  <th scope="col">{t("opendata.import.cols.contact")}</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r) => (
                  <tr key={r.row}>
                    <td>{r.row}</td>
                    <th scope="row">{r.name}</th>
                    <td>{r.kind}</td>
                    <td>{r.stage ?? "—"}</td>
                    <td>{r.address || "—"}</td>
                    <td>{r.position ?? t("opendata.import.noPosition")}</td>
                    <td>{r.contactShown ? t("opendata.import.contactShown") : t("opendata.import.contactHidden")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Form method="post" className="form">
            <CsrfInput />
            <input type="hidden" name="intent" value="confirm" />
            <input type="hidden" name="payload" value={preview.payload} />
            <input type="hidden" name="expires" value={preview.expires} />
            <input type="hidden" name="signature" value={preview.signature} />
            <input type="hidden" name="fileName" value={data?.fileName ?? ""} />
            <p>{t("opendata.import.confirmHint")}</p>
            <p>
              <button type="submit" className="button">
                {t("opendata.import.confirm", { count: preview.rows.length })}
              </button>
            </p>
          </Form>
          <p>
            <Link to={PATH}>{t("opendata.import.another")}</Link>
          </p>
        </section>
      ) : (
        <>
          <p className="lead">{t("opendata.import.intro")}</p>
          <UploadForm errors={errors} />
          <section aria-labelledby="import-format">
            <h2 id="import-format">{t("opendata.import.formatTitle")}</h2>
            <ul>
              <li>{t("opendata.import.rules.encoding")}</li>
              <li>{t("opendata.import.rules.separator")}</li>
              <li>{t("opendata.import.rules.header")}</li>
              <li>{t("opendata.import.rules.lists", { separator: CSV_LIST_SEPARATOR })}</li>
              <li>{t("opendata.import.rules.position", { west: bounds[0][0], south: bounds[0][1], east: bounds[1][0], north: bounds[1][1] })}</li>
              <li>{t("opendata.import.rules.contact")}</li>
              <li>{t("opendata.import.rules.duplicates")}</li>
              <li>{t("opendata.import.rules.allOrNothing")}</li>
            </ul>
            <p>
              <a href="/initiatives/gestion/modele-import.csv" download>
                {t("opendata.import.template")}
              </a>
              {" · "}
              <Link to="/initiatives/donnees-ouvertes">{t("opendata.import.fieldsDoc")}</Link>
            </p>
            <h3>{t("opendata.import.columnsTitle")}</h3>
            <p>
              {columns.map((c, i) => (
                <span key={c}>
                  {i > 0 ? ", " : null}
                  <code>{c}</code>
                </span>
              ))}
            </p>
            <h3>{t("opendata.import.valuesTitle")}</h3>
            <VocabularyValues vocabularies={vocabularies} titleKey={(name) => `opendata.import.vocabulary.${name}`} />
          </section>
        </>
      )}
    </>
  );
}
