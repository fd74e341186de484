// Table types of the core schema. Modules add their own tables to `DB` by declaration
// merging (see app/modules/<id>/data/tables.ts), so the core never imports a module.
import type { ColumnType, Generated, Selectable } from "kysely";
import type { PermissionRule } from "../permissions/declarations";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, T | string, T | string>;

export interface TenantsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  hosts: string[];
  status: ColumnType<"active" | "suspended", "active" | "suspended" | undefined>;
  definition: Json<unknown>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface TenantModulesTable {
  tenant_id: string;
  module_id: string;
  enabled: boolean;
  settings: Json<Record<string, unknown>>;
  /** "console" once staff changed the module: `tenants:sync` then leaves it alone. */
  managed_by: ColumnType<"file" | "console", "file" | "console" | undefined, "file" | "console">;
  updated_at: Generated<Date>;
}

/** The town's settings changed by its staff (app/core/tenant/settings.server.ts). */
export interface TenantSettingsTable {
  tenant_id: string;
  overrides: Json<Record<string, unknown>>;
  updated_at: Generated<Date>;
}

export interface TenantAssetsTable {
  tenant_id: string;
  key: string;
  content_type: string;
  bytes: Buffer;
  updated_at: Generated<Date>;
}

export interface OrganisationsTable {
  tenant_id: string;
  id: Generated<string>;
  name: string;
  kind: ColumnType<string, string | undefined>;
  is_demo: ColumnType<boolean, boolean | undefined>;
  created_at: Generated<Date>;
}

export interface UsersTable {
  tenant_id: string;
  id: Generated<string>;
  email: string;
  email_verified_at: Timestamp | null;
  password_hash: string;
  display_name: string;
  locale: string | null;
  /** For the "in their neighbourhood" permission condition. */
  neighbourhood: ColumnType<string | null, string | null | undefined, string | null>;
  is_demo: ColumnType<boolean, boolean | undefined>;
  deactivated_at: Timestamp | null;
  /** TOTP two-factor sign-in (app/core/auth/totp.server.ts). */
  totp_secret: ColumnType<string | null, string | null | undefined, string | null>;
  totp_enabled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  totp_last_step: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface RolesTable {
  tenant_id: string;
  key: string;
  is_builtin: ColumnType<boolean, boolean | undefined>;
  labels: Json<Record<string, string>>;
  /** CASL JSON rules by module id (app/core/permissions); a module left out gets its defaults. */
  rules: ColumnType<Record<string, PermissionRule[]>, string | undefined, string>;
}

/** The rules that apply to everyone, signed in or not, by module id. */
export interface VisitorPermissionsTable {
  tenant_id: string;
  rules: ColumnType<Record<string, PermissionRule[]>, string | undefined, string>;
  updated_at: Generated<Date>;
}

export interface UserRolesTable {
  tenant_id: string;
  id: Generated<string>;
  user_id: string;
  role: string;
  organisation_id: string | null;
  granted_at: Generated<Date>;
}

export interface SessionsTable {
  tenant_id: string;
  id: string;
  user_id: string;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  ip: string | null;
  user_agent: string | null;
  /** Last proof of the password (sign-in or re-confirmation), for sensitive actions. */
  reauthenticated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Password accepted, TOTP code not yet: the session grants nothing. */
  awaiting_second_factor: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface AuthTokensTable {
  tenant_id: string;
  id: Generated<string>;
  user_id: string;
  purpose: "verify_email" | "reset_password" | "change_email";
  token_hash: string;
  new_email: string | null;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: Generated<Date>;
}

export interface AuthAttemptsTable {
  tenant_id: string;
  id: Generated<string>;
  scope: "account" | "address";
  key: string;
  attempted_at: Generated<Date>;
}

export interface OutboxEmailsTable {
  tenant_id: string;
  id: Generated<string>;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  status: "pending" | "sent" | "failed" | "kept";
  error: string | null;
  created_at: Generated<Date>;
  sent_at: Timestamp | null;
}

export interface CoreEventsTable {
  tenant_id: string;
  id: Generated<string>;
  module: string;
  kind: string;
  actor_id: string | null;
  subject_type: string | null;
  subject_id: string | null;
  quantities: Json<Record<string, number>>;
  occurred_at: Generated<Date>;
}

export interface DB {
  tenants: TenantsTable;
  tenant_modules: TenantModulesTable;
  tenant_assets: TenantAssetsTable;
  tenant_settings: TenantSettingsTable;
  organisations: OrganisationsTable;
  users: UsersTable;
  roles: RolesTable;
  user_roles: UserRolesTable;
  visitor_permissions: VisitorPermissionsTable;
  sessions: SessionsTable;
  auth_tokens: AuthTokensTable;
  auth_attempts: AuthAttemptsTable;
  outbox_emails: OutboxEmailsTable;
  core_events: CoreEventsTable;
}

export type User = Selectable<UsersTable>;
