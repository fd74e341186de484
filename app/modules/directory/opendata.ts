// The open-data contract of the directory: one list of fields shared by the CSV and GeoJSON
// exports, the JSON API and the documentation page, so that what is documented is what is
// published. Field names are French (the audience is French open-data portals); their
// meaning is translated in locales/{fr,en}/opendata.json (`opendata.fields.<name>`).
import type { DirectorySettings } from "./schemas";

export type OpenDataFieldType =
  | "uuid"
  | "text"
  | "key"
  | "keyList"
  | "number"
  | "email"
  | "phone"
  | "urlList"
  | "languageList"
  | "hours"
  | "date"
  | "datetime"
  | "boolean"
  | "url";

export type OpenDataField = {
  name: string;
  type: OpenDataFieldType;
  /** Accepted as a column by the CSV import (the others are ignored there). */
  importable: boolean;
  /** Required by the import. */
  required?: boolean;
};

export const OPEN_DATA_FIELDS = [
  { name: "id", type: "uuid", importable: false },
  { name: "nom", type: "text", importable: true, required: true },
  { name: "type", type: "key", importable: true, required: true },
  { name: "type_libelle", type: "text", importable: false },
  { name: "etape", type: "key", importable: true },
  { name: "etape_libelle", type: "text", importable: false },
  { name: "thematiques", type: "keyList", importable: true },
  { name: "description", type: "text", importable: true },
  { name: "adresse", type: "text", importable: true },
  { name: "quartier", type: "text", importable: true },
  { name: "latitude", type: "number", importable: true },
  { name: "longitude", type: "number", importable: true },
  { name: "contact_nom", type: "text", importable: true },
  { name: "contact_email", type: "email", importable: true },
  { name: "contact_telephone", type: "phone", importable: true },
  { name: "liens", type: "urlList", importable: true },
  { name: "horaires", type: "text", importable: true },
  { name: "heures_ouverture", type: "hours", importable: false },
  { name: "langues", type: "languageList", importable: true },
  { name: "accessibilite", type: "text", importable: true },
  { name: "fraicheur", type: "key", importable: false },
  { name: "confirme_le", type: "date", importable: false },
  { name: "mis_a_jour_le", type: "datetime", importable: false },
  { name: "demonstration", type: "boolean", importable: false },
  { name: "url", type: "url", importable: false },
] as const satisfies readonly OpenDataField[];

export type OpenDataFieldName = (typeof OPEN_DATA_FIELDS)[number]["name"];

/**
 * One column of the import that is not published: whether the contact may be shown. The
 * exports only ever carry a contact that is public, so they have no such column.
 */
export const IMPORT_ONLY_COLUMNS = ["contact_public"] as const;

/** Separator of the values of a list inside one CSV cell (layers, links, languages, hours). */
export const CSV_LIST_SEPARATOR = "|";
/**
 * Separator of the CSV files: the semicolon, because spreadsheets set to French use the comma
 * as decimal separator and split a comma-separated file wrongly. The import also reads commas.
 */
export const CSV_DELIMITER = ";";

export type OpenDataLicence = DirectorySettings["openDataLicence"];

/** Official texts of the licences a town may choose; names are proper names, not translated. */
export const LICENCES: Record<OpenDataLicence, { name: string; spdx: string; url: string }> = {
  "etalab-2.0": {
    name: "Licence Ouverte / Open Licence version 2.0 (Etalab)",
    spdx: "etalab-2.0",
    url: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
  },
  "odbl-1.0": {
    name: "Open Database License (ODbL) 1.0",
    spdx: "ODbL-1.0",
    url: "https://opendatacommons.org/licenses/odbl/1-0/",
  },
  "cc-by-4.0": {
    name: "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    spdx: "CC-BY-4.0",
    url: "https://creativecommons.org/licenses/by/4.0/legalcode.fr",
  },
};

/** The JSON API's limits, shown on the documentation page. */
export const API_DEFAULT_PER_PAGE = 50;
export const API_MAX_PER_PAGE = 100;

/** The import's limits, shown on the import page. */
export const IMPORT_MAX_BYTES = 1024 * 1024;
export const IMPORT_MAX_ROWS = 1000;
