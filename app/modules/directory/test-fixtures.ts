// Fixtures of the directory's tests: listings written through the app role, as the module
// itself writes them.
import { withTenant } from "~/core/db/db.server";
import type { TestTenant } from "../../../db/test/helpers";
import "./data/tables";

let counter = 0;

/** A published listing in the middle of the test tenant's bounds, unless `values` say otherwise. */
export async function addListing(tenant: TestTenant, values: Record<string, unknown> = {}): Promise<string> {
  counter++;
  const row = await withTenant(tenant.id, (tx) =>
    tx
      .insertInto("directory_initiatives")
      .values({
        tenant_id: tenant.id,
        name: `Initiative ${counter}`,
        kind: "buying_group",
        status: "published",
        latitude: 50.48,
        longitude: 3.015,
        ...values,
      } as never)
      .returning("id")
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}
