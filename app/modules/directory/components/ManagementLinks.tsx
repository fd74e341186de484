// The directory's management pages a user's rules open to them, as links: the way in for
// anyone granted such a right, staff or a role of the town's own (the staff console lists
// them for staff only).
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ManagementTools } from "../data/access.server";

const TOOLS: { key: keyof ManagementTools; to: string; label: string }[] = [
  { key: "moderation", to: "/initiatives/gestion/moderation", label: "moderation.nav.moderation" },
  { key: "freshness", to: "/initiatives/gestion/fraicheur", label: "moderation.nav.freshness" },
  { key: "requests", to: "/initiatives/gestion/demandes", label: "moderation.nav.requests" },
  { key: "import", to: "/initiatives/gestion/import", label: "moderation.nav.import" },
];

/** Links to the tools `tools` allows, except the page the user is on; nothing when none is allowed. */
export function ManagementLinks({ tools, current }: { tools: ManagementTools; current?: keyof ManagementTools }) {
  const { t } = useTranslation("directory");
  const shown = TOOLS.filter((tool) => tools[tool.key] && tool.key !== current);
  if (shown.length === 0) return null;
  return (
    <nav aria-label={t("moderation.nav.tools")}>
      <ul className="directory-actions">
        {shown.map((tool) => (
          <li key={tool.key}>
            <Link to={tool.to}>{t(tool.label)}</Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
