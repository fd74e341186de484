import type { PermissionRule } from "~/core/modules/types";

export const directorySubjects = ["Initiative"] as const;
export const directoryActions = ["read", "create", "update", "moderate"] as const;

export const directoryDefaultRules: Partial<Record<string, PermissionRule[]>> = {
  visitor: [{ action: "read", subject: "Initiative", conditions: { status: "published" } }],
  staff: [{ action: ["read", "create", "update", "moderate"], subject: "Initiative" }],
};
