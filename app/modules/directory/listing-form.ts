// Limits of the listing form, shared by the page (hints) and the server (checks).
export const MAX_PHOTOS = 3;
/** Size of one uploaded photo, before it is resized. */
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
/** Longest side of a stored photo; larger ones are scaled down. */
export const PHOTO_MAX_EDGE = 1600;
export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];
export const MAX_LINKS = 5;
/** Largest form with photos the routes accept: every photo slot full, plus the text fields. */
export const UPLOAD_MAX_BODY_BYTES = MAX_PHOTOS * PHOTO_MAX_BYTES + 512 * 1024;

/** Languages a submitter can tick (ISO 639-1 codes, named by the browser's Intl in the reader's language). */
export const LANGUAGE_CHOICES = ["fr", "en", "ar", "es", "pt", "it", "de", "nl", "pl", "ro", "tr", "uk", "ru", "zh"] as const;

/** Field names of the photo slots: photo1/photoAlt1, ... */
export const photoSlots = Array.from({ length: MAX_PHOTOS }, (_, i) => ({ file: `photo${i + 1}`, alt: `photoAlt${i + 1}` }));
