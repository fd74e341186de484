import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, T | string | undefined, T | string>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export type InitiativeStatus = "unconfirmed" | "pending" | "changes_requested" | "published" | "refused" | "merged";
export type Freshness = "fresh" | "to_check" | "hidden";
export type OpeningHours = { day: number; opens: string; closes: string }[];

export interface DirectoryVocabularyTable {
  tenant_id: string;
  vocabulary: "kind" | "layer" | "stage";
  key: string;
  labels: Json<Record<string, string>>;
  colour: string | null;
  position: Defaulted<number>;
}

export interface DirectoryInitiativesTable {
  tenant_id: string;
  id: Generated<string>;
  name: string;
  kind: string;
  stage: string | null;
  layers: Defaulted<string[]>;
  description: Defaulted<string>;
  address: Defaulted<string>;
  neighbourhood: string | null;
  latitude: number | null;
  longitude: number | null;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  contact_public: Defaulted<boolean>;
  links: Defaulted<string[]>;
  schedule: string | null;
  opening_hours: Json<OpeningHours>;
  languages: Defaulted<string[]>;
  accessibility_notes: string | null;
  status: Defaulted<InitiativeStatus>;
  moderation_note: string | null;
  merged_into: string | null;
  organisation_id: string | null;
  submitter_name: string | null;
  submitter_email: string | null;
  confirmed_at: Generated<Date>;
  freshness: Defaulted<Freshness>;
  reminder_sent_at: Timestamp | null;
  is_demo: Defaulted<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** Generated column: normalised (lower-case, unaccented) text for search. */
  search_text: ColumnType<string, never, never>;
}

export interface DirectoryPhotosTable {
  tenant_id: string;
  id: Generated<string>;
  initiative_id: string;
  content_type: "image/jpeg" | "image/png" | "image/webp";
  bytes: Buffer;
  width: number;
  height: number;
  alt: Defaulted<string>;
  position: Defaulted<number>;
  created_at: Generated<Date>;
}

export interface DirectoryRevisionsTable {
  tenant_id: string;
  id: Generated<string>;
  initiative_id: string;
  action: string;
  actor_user_id: string | null;
  actor_label: string;
  snapshot: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
}

export interface DirectoryClaimsTable {
  tenant_id: string;
  id: Generated<string>;
  initiative_id: string;
  user_id: string;
  organisation_id: string | null;
  message: Defaulted<string>;
  status: Defaulted<"pending" | "approved" | "refused">;
  decided_by: string | null;
  decided_at: Timestamp | null;
  created_at: Generated<Date>;
}

export interface DirectoryLinksTable {
  tenant_id: string;
  id: Generated<string>;
  initiative_id: string;
  purpose: "confirm_submission" | "still_accurate" | "edit" | "contact_answered";
  token_hash: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: Generated<Date>;
  /** The contact request a `contact_answered` link answers (migration 2026112205). */
  request_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface DirectoryContactRequestsTable {
  tenant_id: string;
  id: Generated<string>;
  user_id: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  place: string;
  latitude: number | null;
  longitude: number | null;
  kind: string | null;
  layer: string | null;
  message: Defaulted<string>;
  consent_at: Timestamp | null;
  status: Defaulted<"open" | "answered" | "routed" | "closed">;
  routed_by: string | null;
  created_at: Generated<Date>;
  purge_after: Timestamp;
  purged_at: Timestamp | null;
}

export interface DirectoryContactTargetsTable {
  tenant_id: string;
  request_id: string;
  initiative_id: string;
  sent_at: Generated<Date>;
  answered_at: Timestamp | null;
  answered_by: string | null;
}

/** One row per tenant, bumped by a trigger on every write to directory_initiatives (map cache check). */
export interface DirectoryVersionsTable {
  tenant_id: string;
  version: Defaulted<string>;
  changed_at: Generated<Date>;
}

declare module "~/core/db/schema" {
  interface DB {
    directory_vocabulary: DirectoryVocabularyTable;
    directory_initiatives: DirectoryInitiativesTable;
    directory_photos: DirectoryPhotosTable;
    directory_revisions: DirectoryRevisionsTable;
    directory_claims: DirectoryClaimsTable;
    directory_links: DirectoryLinksTable;
    directory_contact_requests: DirectoryContactRequestsTable;
    directory_contact_targets: DirectoryContactTargetsTable;
    directory_versions: DirectoryVersionsTable;
  }
}
