// A photo of a listing, published or not, for those whose rules let them moderate or edit
// that listing (moderation and the edit page show the photos of listings that are not public
// yet); 404 for anyone else. Never cached by shared caches.
import { notFound, tenantLoader } from "~/core/route.server";
import { allowedForAny, PRIVATE_PHOTO_ACTIONS } from "../../data/access.server";
import { getPrivatePhoto } from "../../data/moderation.server";

export const loader = /* @__PURE__ */ tenantLoader(
  async ({ tx, params, ability }) => {
    const photo = await getPrivatePhoto(tx, params.photoId ?? "", allowedForAny(await ability(), PRIVATE_PHOTO_ACTIONS, "i"));
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
  { module: "directory" },
);
