import { useTranslation } from "react-i18next";
import { Field } from "./form";

/**
 * The field of a sign-in code: six digits from the authenticator app, or a recovery code
 * (letters too, so no numeric keyboard). Labels from the `security` namespace.
 */
export function SecondFactorField({ name, error }: { name: string; error?: string }) {
  const { t } = useTranslation("security");
  return <Field name={name} autoComplete="one-time-code" spellCheck={false} label={t("fields.code")} hint={t("fields.codeHint")} required error={error} />;
}
