// The logo staff upload in the console. Its type is read from the bytes, never from the file
// name or the browser's declared type, then the image is decoded and written anew as a PNG
// of bounded size: re-encoding drops metadata and anything else the file carried.
// SVG is refused rather than sanitised: an SVG is a document that can hold scripts, event
// handlers and references to other resources, and a sanitiser is one more parser to keep
// right; a town exports its logo as PNG in seconds. (The operator's tenant.json may still
// name an SVG: that file is reviewed in the platform's repository, and /logo serves it with a
// policy that forbids scripts.)
import sharp from "sharp";
import type { Tx } from "../db/db.server";
import { MAX_INPUT_PIXELS, SHARP_FORMAT, sniffImageType } from "../images.server";

/** Largest file accepted (the action's body limit is a little above, for the other fields). */
export const LOGO_MAX_BYTES = 2 * 1024 * 1024;
export const LOGO_MAX_BODY_BYTES = LOGO_MAX_BYTES + 64 * 1024;
/** Longest edge of the stored logo, in pixels: the header shows it at 40 px, sharp at 3x and more. */
export const LOGO_MAX_EDGE = 512;
export const LOGO_CONTENT_TYPE = "image/png";

/** tenant_assets keys: the logo served at /logo, and the operator's while staff's replaces it. */
export const LOGO_KEY = "logo";
export const PLATFORM_LOGO_KEY = "logo-platform";

export type LogoProblem = "missing" | "tooLarge" | "svg" | "notAnImage" | "unreadable";
export type ProcessedLogo = { contentType: typeof LOGO_CONTENT_TYPE; bytes: Buffer; width: number; height: number };

/** An SVG (or any XML) document, told apart to say why it is refused. */
function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString("utf8").replace(/^\uFEFF/, "").trimStart().toLowerCase();
  return head.startsWith("<?xml") || head.startsWith("<svg") || (head.startsWith("<!") && head.includes("<svg"));
}

export async function processLogo(bytes: Uint8Array): Promise<{ ok: true; logo: ProcessedLogo } | { ok: false; problem: LogoProblem }> {
  if (bytes.byteLength === 0) return { ok: false, problem: "missing" };
  if (bytes.byteLength > LOGO_MAX_BYTES) return { ok: false, problem: "tooLarge" };
  const type = sniffImageType(bytes);
  if (!type) return { ok: false, problem: looksLikeSvg(bytes) ? "svg" : "notAnImage" };
  try {
    const input = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" });
    const metadata = await input.metadata();
    // The signature and the decoder must agree: a PNG header on something else is refused.
    if (metadata.format !== SHARP_FORMAT[type]) return { ok: false, problem: "notAnImage" };
    const { data, info } = await input
      .rotate()
      .resize({ width: LOGO_MAX_EDGE, height: LOGO_MAX_EDGE, fit: "inside", withoutEnlargement: true })
      .png({ compressionLevel: 9 })
      .toBuffer({ resolveWithObject: true });
    return { ok: true, logo: { contentType: LOGO_CONTENT_TYPE, bytes: data, width: info.width, height: info.height } };
  } catch {
    return { ok: false, problem: "unreadable" };
  }
}

/**
 * Stores staff's logo in place of the one /logo serves. The first time, the operator's logo
 * (written by `tenants:sync` from tenant.json) is set aside, so that "return to the platform's
 * logo" shows it again at once rather than at the next sync.
 */
export async function storeUploadedLogo(tx: Tx, tenantId: string, logo: ProcessedLogo, replacingPlatformLogo: boolean): Promise<void> {
  if (replacingPlatformLogo) {
    const platform = await tx.selectFrom("tenant_assets").select(["content_type", "bytes"]).where("key", "=", LOGO_KEY).executeTakeFirst();
    if (platform) {
      await tx
        .insertInto("tenant_assets")
        .values({ tenant_id: tenantId, key: PLATFORM_LOGO_KEY, content_type: platform.content_type, bytes: platform.bytes })
        .onConflict((oc) => oc.columns(["tenant_id", "key"]).doUpdateSet({ content_type: platform.content_type, bytes: platform.bytes, updated_at: new Date() }))
        .execute();
    }
  }
  await tx
    .insertInto("tenant_assets")
    .values({ tenant_id: tenantId, key: LOGO_KEY, content_type: logo.contentType, bytes: logo.bytes })
    .onConflict((oc) => oc.columns(["tenant_id", "key"]).doUpdateSet({ content_type: logo.contentType, bytes: logo.bytes, updated_at: new Date() }))
    .execute();
}

/**
 * Removes staff's logo and puts back the operator's one set aside, if any; without one, the
 * town shows no logo until tenant.json names one (applied by the next `tenants:sync`).
 */
export async function removeUploadedLogo(tx: Tx, tenantId: string): Promise<void> {
  await tx.deleteFrom("tenant_assets").where("key", "=", LOGO_KEY).execute();
  const platform = await tx.deleteFrom("tenant_assets").where("key", "=", PLATFORM_LOGO_KEY).returning(["content_type", "bytes"]).executeTakeFirst();
  if (platform) {
    await tx.insertInto("tenant_assets").values({ tenant_id: tenantId, key: LOGO_KEY, content_type: platform.content_type, bytes: platform.bytes }).execute();
  }
}

/** The logo /logo serves now, for the console's preview. */
export async function currentLogoInfo(tx: Tx): Promise<{ contentType: string; updatedAt: Date } | null> {
  const row = await tx.selectFrom("tenant_assets").select(["content_type", "updated_at"]).where("key", "=", LOGO_KEY).executeTakeFirst();
  return row ? { contentType: row.content_type, updatedAt: row.updated_at } : null;
}
