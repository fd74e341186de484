// Photos uploaded with a listing. The type is read from the bytes, never from the file name
// or the browser's declared type; the image is then decoded and written anew: large ones
// are scaled down, and re-encoding drops the metadata (EXIF holds the GPS position of the
// phone that took the picture, often the submitter's home).
import sharp from "sharp";
import { MAX_INPUT_PIXELS, SHARP_FORMAT, sniffImageType } from "~/core/images.server";
import { PHOTO_MAX_BYTES, PHOTO_MAX_EDGE, type PhotoType } from "./listing-form";

export type ProcessedPhoto = { contentType: PhotoType; bytes: Buffer; width: number; height: number; alt: string };
export type PhotoProblem = "tooLarge" | "notAnImage" | "unreadable";

export async function processPhoto(bytes: Uint8Array, alt: string): Promise<{ ok: true; photo: ProcessedPhoto } | { ok: false; problem: PhotoProblem }> {
  if (bytes.byteLength > PHOTO_MAX_BYTES) return { ok: false, problem: "tooLarge" };
  const type = sniffImageType(bytes);
  if (!type) return { ok: false, problem: "notAnImage" };
  try {
    const input = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" });
    const metadata = await input.metadata();
    // The signature and the decoder must agree: a PNG header on something else is refused.
    if (metadata.format !== SHARP_FORMAT[type]) return { ok: false, problem: "notAnImage" };
    let pipeline = input.rotate().resize({ width: PHOTO_MAX_EDGE, height: PHOTO_MAX_EDGE, fit: "inside", withoutEnlargement: true });
    pipeline =
      type === "image/jpeg" ? pipeline.jpeg({ quality: 82 }) : type === "image/png" ? pipeline.png({ compressionLevel: 9 }) : pipeline.webp({ quality: 80 });
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    return { ok: true, photo: { contentType: type, bytes: data, width: info.width, height: info.height, alt: alt.trim().slice(0, 300) } };
  } catch {
    return { ok: false, problem: "unreadable" };
  }
}
