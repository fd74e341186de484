import type { Tx } from "~/core/db/db.server";
import { recordEvent } from "~/core/events.server";
import { demoDirectorySchema } from "../schemas";
import "./tables";

/** Loads demo initiatives; existing ones (same name) are left as they are. */
export async function seedDemoInitiatives(tx: Tx, tenantId: string, data: unknown) {
  const { initiatives } = demoDirectorySchema.parse(data);
  // Names are not unique (duplicates are merged by moderation), so no ON CONFLICT target.
  const existing = new Set(
    (await tx.selectFrom("directory_initiatives").select("name").where("is_demo", "=", true).execute()).map((r) => r.name),
  );
  for (const i of initiatives) {
    if (existing.has(i.name)) continue;
    const inserted = await tx
      .insertInto("directory_initiatives")
      .values({
        tenant_id: tenantId,
        name: i.name,
        kind: i.kind,
        description: i.description,
        address: i.address,
        neighbourhood: i.neighbourhood ?? null,
        latitude: i.latitude ?? null,
        longitude: i.longitude ?? null,
        links: i.website ? [i.website] : [],
        contact_email: i.contactEmail ?? null,
        contact_public: i.contactPublic,
        layers: i.layers,
        stage: i.stage ?? null,
        schedule: i.schedule ?? null,
        opening_hours: JSON.stringify(i.openingHours),
        languages: i.languages,
        accessibility_notes: i.accessibilityNotes ?? null,
        status: "published",
        is_demo: true,
      })
      .returning("id")
      .executeTakeFirst();
    if (inserted) {
      await recordEvent(tx, { module: "directory", kind: "initiative_published", subjectType: "Initiative", subjectId: inserted.id });
    }
  }
}
