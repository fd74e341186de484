// A listing's photo, served from the database. Only photos of published listings; the
// response is cached by the browser (a photo is never edited in place: a new one gets a new id).
import { notFound, tenantLoader } from "~/core/route.server";
import { getPublicPhoto } from "../../data/listing.server";

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tx, params }) => {
    const photo = await getPublicPhoto(tx, params.id ?? "", params.photoId ?? "");
    if (!photo) notFound();
    return new Response(new Uint8Array(photo.bytes), {
      headers: {
        "Content-Type": photo.content_type,
        "Content-Length": String(photo.bytes.length),
        "Cache-Control": "public, max-age=86400",
        "Last-Modified": photo.created_at.toUTCString(),
        // Served bytes are uploaded content: never let a browser reinterpret them.
        "Content-Disposition": "inline",
        "X-Content-Type-Options": "nosniff",
      },
    });
  },
  { module: "directory" },
);
