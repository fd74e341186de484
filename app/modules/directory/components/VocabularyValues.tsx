import { useTranslation } from "react-i18next";
import type { VocabularyValues as Values } from "../vocabulary";

/** The accepted values of each vocabulary (key and label), for the open-data and import documentation. */
export function VocabularyValues({ vocabularies, titleKey }: { vocabularies: Values; titleKey: (name: keyof Values) => string }) {
  const { t } = useTranslation("directory");
  return (
    <>
      {(["kind", "stage", "layer"] as const).map((name) => (
        <div key={name}>
          <h4>{t(titleKey(name))}</h4>
          <ul>
            {vocabularies[name].map((e) => (
              <li key={e.key}>
                <code>{e.key}</code> — {e.label}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </>
  );
}
