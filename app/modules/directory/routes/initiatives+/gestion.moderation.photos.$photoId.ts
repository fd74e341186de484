// Staff: a photo of any listing, published or not (moderation shows the photos of listings
// that are not public yet). Never cached by shared caches.
import { notFound, tenantLoader } from "~/core/route.server";
import { getStaffPhoto } from "../../data/moderation.server";

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tx, params }) => {
    const photo = await getStaffPhoto(tx, params.photoId ?? "");
    if (!photo) notFound();
    return new Response(new Uint8Array(photo.bytes), {
      headers: {
        "Content-Type": photo.content_type,
        "Content-Length": String(photo.bytes.length),
        "Cache-Control": "private, max-age=300",
        "Content-Disposition": "inline",
        "X-Content-Type-Options": "nosniff",
      },
    });
  },
  { module: "directory", roles: ["staff"] },
);
