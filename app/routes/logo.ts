import { notFound, tenantLoader } from "~/core/route.server";

/** The tenant's logo, stored with its definition and served by the app (no CDN). */
export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tx, request }) => {
    const asset = await tx
      .selectFrom("tenant_assets")
      .select(["content_type", "bytes", "updated_at"])
      .where("key", "=", "logo")
      .executeTakeFirst();
    if (!asset) notFound();
    const etag = `"${asset.updated_at.getTime().toString(36)}"`;
    if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers: { ETag: etag } });
    return new Response(new Uint8Array(asset.bytes), {
      headers: {
        "Content-Type": asset.content_type,
        // Revalidated on every use (a 304 while unchanged): the URL stays /logo when staff
        // replace the logo in the console, and the new one must show at once.
        "Cache-Control": "public, no-cache",
        ETag: etag,
        // An SVG opened directly must not run scripts.
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      },
    });
  },
  { allowSuspended: true },
);
