// What the town settings pages need in the browser too (town-settings.server.ts is empty there).

/** Longest town name (tenant.json allows 120). */
export const NAME_MAX = 120;

/** RGAA conformity statuses of the accessibility statement, as tenant.json names them. */
export const ACCESSIBILITY_STATUSES = ["full", "partial", "none"] as const;
