// The period in the URL (`?periode=mois`, or `?periode=dates&du=2026-01-01&au=2026-03-31`):
// shared by the page and its CSV export, so that the export holds what the page shows.
import { daysBetween, isPlainDate, PERIOD_KINDS, type PeriodChoice, type PeriodKind, type PeriodPreset } from "./period";

export const PARAM = { period: "periode", from: "du", to: "au" } as const;

const SLUGS: Record<PeriodKind, string> = {
  month: "mois",
  last_month: "mois-precedent",
  year: "annee",
  last_12_months: "douze-mois",
  custom: "dates",
};

/** Longest span of chosen dates, in days: ten years. */
export const MAX_CUSTOM_DAYS = 3653;

export type PeriodValues = { [PARAM.period]: string; [PARAM.from]: string; [PARAM.to]: string };

export type PeriodQuery = {
  /** What the form shows again: the values as typed. */
  values: PeriodValues;
  /** Field name -> i18n key. */
  errors: Record<string, string>;
  /** null when there are errors. */
  choice: PeriodChoice | null;
};

const FRENCH_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** A date as typed: `2026-01-31`, as date inputs send it, or `31/01/2026` where they are plain text boxes. */
function normaliseDate(raw: string): string {
  const french = FRENCH_DATE.exec(raw);
  return french ? `${french[3]}-${french[2].padStart(2, "0")}-${french[1].padStart(2, "0")}` : raw;
}

export function readPeriodQuery(params: URLSearchParams, defaultPreset: PeriodPreset): PeriodQuery {
  const slug = (params.get(PARAM.period) ?? "").trim();
  const values: PeriodValues = {
    [PARAM.period]: slug || SLUGS[defaultPreset],
    [PARAM.from]: (params.get(PARAM.from) ?? "").trim(),
    [PARAM.to]: (params.get(PARAM.to) ?? "").trim(),
  };
  const kind = PERIOD_KINDS.find((k) => SLUGS[k] === values[PARAM.period]);
  if (!kind) return { values, errors: { [PARAM.period]: "dashboards:errors.periodUnknown" }, choice: null };
  if (kind !== "custom") return { values, errors: {}, choice: { kind } };

  const errors: Record<string, string> = {};
  const from = normaliseDate(values[PARAM.from]);
  const to = normaliseDate(values[PARAM.to]);
  if (!from) errors[PARAM.from] = "dashboards:errors.fromRequired";
  else if (!isPlainDate(from)) errors[PARAM.from] = "dashboards:errors.fromInvalid";
  if (!to) errors[PARAM.to] = "dashboards:errors.toRequired";
  else if (!isPlainDate(to)) errors[PARAM.to] = "dashboards:errors.toInvalid";
  if (Object.keys(errors).length === 0) {
    const span = daysBetween(from, to);
    if (span < 0) errors[PARAM.to] = "dashboards:errors.order";
    else if (span + 1 > MAX_CUSTOM_DAYS) errors[PARAM.to] = "dashboards:errors.tooLong";
  }
  if (Object.keys(errors).length) return { values, errors, choice: null };
  return { values, errors, choice: { kind: "custom", firstDay: from, lastDay: to } };
}

/** The query string of a period, for links (the export of the period shown). */
export function periodSearch(choice: PeriodChoice): string {
  const params = new URLSearchParams({ [PARAM.period]: SLUGS[choice.kind] });
  if (choice.kind === "custom") {
    params.set(PARAM.from, choice.firstDay);
    params.set(PARAM.to, choice.lastDay);
  }
  return params.toString();
}

export const periodOptions = PERIOD_KINDS.map((kind) => ({ kind, slug: SLUGS[kind] }));
