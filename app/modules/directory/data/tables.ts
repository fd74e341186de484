import type { ColumnType, Generated } from "kysely";

export interface DirectoryInitiativesTable {
  tenant_id: string;
  id: Generated<string>;
  name: string;
  kind: string;
  description: ColumnType<string, string | undefined>;
  address: ColumnType<string, string | undefined>;
  neighbourhood: string | null;
  latitude: number | null;
  longitude: number | null;
  website: string | null;
  contact_email: string | null;
  contact_public: ColumnType<boolean, boolean | undefined>;
  status: ColumnType<"pending" | "published" | "hidden", "pending" | "published" | "hidden" | undefined>;
  is_demo: ColumnType<boolean, boolean | undefined>;
  confirmed_at: Generated<Date>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

declare module "~/core/db/schema" {
  interface DB {
    directory_initiatives: DirectoryInitiativesTable;
  }
}
