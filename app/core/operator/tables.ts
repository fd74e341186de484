// Platform tables of the operator console (no tenant_id), declared for Kysely by merging
// into `DB`, as modules do for their own tables.
import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface PlatformOperatorsTable {
  id: Generated<string>;
  email: string;
  password_hash: string;
  display_name: string;
  created_at: Generated<Date>;
  deactivated_at: Timestamp | null;
}

export interface PlatformOperatorSessionsTable {
  id: string;
  operator_id: string;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  ip: string | null;
  user_agent: string | null;
}

export interface PlatformOperatorSignInFailuresTable {
  id: Generated<string>;
  scope: "account" | "address";
  key: string;
  attempted_at: Generated<Date>;
}

declare module "~/core/db/schema" {
  interface DB {
    platform_operators: PlatformOperatorsTable;
    platform_operator_sessions: PlatformOperatorSessionsTable;
    platform_operator_sign_in_failures: PlatformOperatorSignInFailuresTable;
  }
}
