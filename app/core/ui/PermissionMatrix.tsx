// The role x action matrix of the staff console (app/routes/admin+/roles.$key.tsx): per
// module, one table whose rows are the subjects and whose columns are the actions, one select
// per cell; then, per subject, which fields each action reaches. Plain form controls: it
// works without JavaScript and by keyboard. The names of the controls are in
// console/roles-matrix.ts, read back by console/roles.server.ts.
import { useTranslation } from "react-i18next";
import { ControlError, describedBy } from "./console/roles-form";
import {
  CHOICE_JOIN,
  CUSTOM_CHOICE,
  NO_CHOICE,
  SCOPE_ALL,
  SCOPE_SOME,
  cellField,
  cellId,
  encodeChoices,
  fieldsField,
  fieldsId,
  scopeField,
  type MatrixCell,
} from "./console/roles-matrix";

export type MatrixRowData = {
  module: string;
  subject: string;
  choices: readonly string[];
  fields: readonly string[];
  cells: { action: string; cell: MatrixCell }[];
};

export type MatrixModuleData = { id: string; name: string; actions: readonly string[]; rows: MatrixRowData[] };

type Values = Record<string, string | string[]>;

type Props = {
  modules: MatrixModuleData[];
  roleName: string;
  /** What the user posted, when the form comes back refused. */
  values?: Values | null;
  /** Messages by control id (cellId / fieldsId). */
  errors?: Record<string, string> | null;
};

const SEPARATOR_ID = "matrix-separator";

const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function PermissionMatrix({ modules, roleName, values, errors }: Props) {
  const { t, i18n } = useTranslation("console-roles");
  const or = new Intl.ListFormat(i18n.language, { type: "disjunction" });
  const subjectKey = (m: string, s: string, rest: string) => `permissions:modules.${m}.subjects.${s}.${rest}`;
  const actionLabel = (m: string, a: string) => t(`permissions:modules.${m}.actions.${a}`);
  const choiceLabel = (c: string) => t(`permissions:choices.${c}`);
  /** "Published content only or content in their neighbourhood". */
  const combinedLabel = (choices: string[]) =>
    or.format(choices.map((c, i) => (i === 0 ? choiceLabel(c) : choiceLabel(c).charAt(0).toLocaleLowerCase(i18n.language) + choiceLabel(c).slice(1))));

  return (
    <>
      <span id={SEPARATOR_ID} hidden>
        {t("matrix.separator")}
      </span>
      {modules.map((m) => (
        <section key={m.id} aria-labelledby={`matrix-${m.id}`} className="role-matrix">
          <h3 id={`matrix-${m.id}`}>{m.name}</h3>
          <div className="table-scroll" role="region" tabIndex={0} aria-label={t("matrix.scrollRegion", { module: m.name })}>
            <table className="role-matrix__table">
              <caption>{t("matrix.caption", { module: m.name, role: roleName })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("matrix.subject")}</th>
                  {m.actions.map((a) => (
                    <th scope="col" key={a} id={`col-${m.id}-${a}`} className="role-matrix__action">
                      {actionLabel(m.id, a)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {m.rows.map((row) => (
                  <tr key={row.subject}>
                    <th scope="row" id={`row-${row.subject}`}>
                      {t(subjectKey(m.id, row.subject, "name"))}
                    </th>
                    {row.cells.map(({ action, cell }) => {
                      const id = cellId(row.subject, action);
                      const current = cell.kind === "custom" ? CUSTOM_CHOICE : encodeChoices(cell.choices);
                      const options = [NO_CHOICE, ...row.choices];
                      // A cell holding several conditions keeps that combination as an option.
                      if (cell.kind === "choices" && cell.choices.length > 1) options.push(current);
                      if (cell.kind === "custom") options.push(CUSTOM_CHOICE);
                      const posted = values?.[cellField(row.subject, action)];
                      const error = errors?.[id];
                      return (
                        <td key={action}>
                          <select
                            id={id}
                            name={cellField(row.subject, action)}
                            defaultValue={typeof posted === "string" && options.includes(posted) ? posted : current}
                            aria-labelledby={`row-${row.subject} ${SEPARATOR_ID} col-${m.id}-${action}`}
                            aria-describedby={error ? `${id}-error` : undefined}
                            aria-invalid={error ? true : undefined}
                          >
                            {options.map((o) => (
                              <option key={o} value={o}>
                                {o.includes(CHOICE_JOIN) ? combinedLabel(o.split(CHOICE_JOIN)) : choiceLabel(o)}
                              </option>
                            ))}
                          </select>
                          <ControlError id={id} message={error} />
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {m.rows.map((row) => {
            const subjectName = t(subjectKey(m.id, row.subject, "name"));
            const restricted = row.cells.some(({ cell }) => cell.kind === "choices" && cell.fields !== null && cell.choices.length > 0);
            const failed = row.cells.some(({ action }) => errors?.[fieldsId(row.subject, action)]);
            if (row.fields.length === 0) return null;
            return (
              <details key={row.subject} className="role-fields" open={restricted || failed}>
                <summary>
                  {t("matrix.fieldsTitle", { subject: subjectName })}
                  {restricted ? <> {t("matrix.fieldsRestricted")}</> : null}
                </summary>
                <p className="hint" id={`fields-help-${row.subject}`}>
                  {t("matrix.fieldsHelp")}
                </p>
                {row.cells.map(({ action, cell }) => {
                  const id = fieldsId(row.subject, action);
                  const error = errors?.[id];
                  const scope = values?.[scopeField(row.subject, action)] ?? (cell.kind === "choices" && cell.fields ? SCOPE_SOME : SCOPE_ALL);
                  const picked = values ? asList(values[fieldsField(row.subject, action)]) : cell.kind === "choices" ? (cell.fields ?? []) : [];
                  return (
                    <fieldset key={action} id={id} className="role-fields__action" aria-describedby={describedBy(`fields-help-${row.subject}`, error && `${id}-error`)}>
                      <legend>{t("matrix.fieldsLegend", { subject: subjectName, action: actionLabel(m.id, action) })}</legend>
                      <ControlError id={id} message={error} />
                      <div className="role-fields__scope">
                        {[SCOPE_ALL, SCOPE_SOME].map((s) => (
                          <div className="checkbox" key={s}>
                            <input type="radio" id={`${id}-${s}`} name={scopeField(row.subject, action)} value={s} defaultChecked={scope === s} />
                            <label htmlFor={`${id}-${s}`}>{t(s === SCOPE_ALL ? "matrix.scopeAll" : "matrix.scopeSome")}</label>
                          </div>
                        ))}
                      </div>
                      <fieldset className="role-fields__list">
                        <legend className="visually-hidden">
                          {t("matrix.fieldsList")} ({t("matrix.fieldsLegend", { subject: subjectName, action: actionLabel(m.id, action) })})
                        </legend>
                        {row.fields.map((f) => (
                          <div className="checkbox" key={f}>
                            <input type="checkbox" id={`${id}-${f}`} name={fieldsField(row.subject, action)} value={f} defaultChecked={picked.includes(f)} />
                            <label htmlFor={`${id}-${f}`}>{t(subjectKey(m.id, row.subject, `fields.${f}`))}</label>
                          </div>
                        ))}
                      </fieldset>
                    </fieldset>
                  );
                })}
              </details>
            );
          })}
        </section>
      ))}
    </>
  );
}

export type RoleSummaryData = { subjects: { module: string; subject: string; name: string; sentences: string[] }[]; nothing: string | null };

/** "What this role can do": the plain sentences of summariseRole, per subject. */
export function RoleSummaryView({ summary, headingId }: { summary: RoleSummaryData; headingId: string }) {
  return summary.nothing ? (
    <p>{summary.nothing}</p>
  ) : (
    <>
      {summary.subjects.map((s) => (
        <div key={`${s.module}-${s.subject}`}>
          <h3 id={`${headingId}-${s.subject}`}>{s.name}</h3>
          <ul aria-labelledby={`${headingId}-${s.subject}`}>
            {s.sentences.map((sentence) => (
              <li key={sentence}>{sentence}</li>
            ))}
          </ul>
        </div>
      ))}
    </>
  );
}
