// Photos uploaded with a listing. The type is read from the bytes, never from the file name
// or the browser's declared type; the image is then decoded and written anew: large ones
// are scaled down, and re-encoding drops the metadata (EXIF holds the GPS position of the
// phone that took the picture, often the submitter's home).
import sharp from "sharp";
import { PHOTO_MAX_BYTES, PHOTO_MAX_EDGE, type PhotoType } from "./listing-form";

export type ProcessedPhoto = { contentType: PhotoType; bytes: Buffer; width: number; height: number; alt: string };
export type PhotoProblem = "tooLarge" | "notAnImage" | "unreadable";

/** JPEG, PNG or WebP from the file's first bytes; null for anything else. */
export function sniffImageType(bytes: Uint8Array): PhotoType | null {
  const starts = (signature: number[], offset = 0) => signature.every((b, i) => bytes[offset + i] === b);
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  // RIFF....WEBP
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  return null;
}

const SHARP_FORMAT: Record<PhotoType, string> = { "image/jpeg": "jpeg", "image/png": "png", "image/webp": "webp" };

// A small file can declare an enormous image (a "decompression bomb"): refuse beyond this.
const MAX_INPUT_PIXELS = 50_000_000;

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
