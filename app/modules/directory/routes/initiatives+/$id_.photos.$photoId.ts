// A listing's photo, served from the database. Only photos of published listings the user
// may read; the response is cached by the browser (a photo is never edited in place: a new
// one gets a new id), and by shared caches only when nobody is signed in: what an account's
// roles let it see is not everyone's.
import { notFound, tenantLoader } from "~/core/route.server";
import { allowedListings } from "../../data/access.server";
import { getPublicPhoto } from "../../data/listing.server";

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tx, params, user, ability }) => {
    const photo = await getPublicPhoto(tx, params.id ?? "", params.photoId ?? "", allowedListings(await ability(), "read", "i"));
    if (!photo) notFound();
    return new Response(new Uint8Array(photo.bytes), {
      headers: {
        "Content-Type": photo.content_type,
        "Content-Length": String(photo.bytes.length),
        "Cache-Control": `${user ? "private" : "public"}, max-age=86400`,
        "Last-Modified": photo.created_at.toUTCString(),
        // Served bytes are uploaded content: never let a browser reinterpret them.
        "Content-Disposition": "inline",
        "X-Content-Type-Options": "nosniff",
      },
    });
  },
  { module: "directory" },
);
