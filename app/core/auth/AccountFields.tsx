import { useTranslation } from "react-i18next";
import { Field } from "~/core/ui/form";

/*
 * Fields that several account pages render alike. Their labels, names and autocomplete
 * tokens are what browsers, password managers and the e2e tests rely on: keep them identical.
 */

/** The address an account is known by (sign-up, forgotten password). */
export function EmailField({ error, defaultValue }: { error?: string; defaultValue?: string }) {
  const { t } = useTranslation("auth");
  return (
    <Field
      name="email"
      type="email"
      autoComplete="email"
      label={t("fields.email")}
      required
      error={error}
      defaultValue={defaultValue}
    />
  );
}

/** The name shown to others (sign-up, account page). */
export function DisplayNameField({ error, defaultValue }: { error?: string; defaultValue?: string }) {
  const { t } = useTranslation("auth");
  return (
    <Field
      name="displayName"
      autoComplete="nickname"
      label={t("fields.displayName")}
      hint={t("fields.displayNameHint")}
      required
      maxLength={100}
      error={error}
      defaultValue={defaultValue}
    />
  );
}

/**
 * A password being chosen and its confirmation (sign-up, reset, account page). The
 * confirmation is always `confirmPassword`; `name` is the first field's, which the account
 * page must tell apart from the current password. `replacing` words the labels as a new
 * password replacing an old one.
 */
export function NewPasswordFields({
  name,
  replacing,
  error,
  confirmError,
}: {
  name: "password" | "newPassword";
  replacing: boolean;
  error?: string;
  confirmError?: string;
}) {
  const { t } = useTranslation("auth");
  return (
    <>
      <Field
        name={name}
        type="password"
        autoComplete="new-password"
        label={replacing ? t("fields.newPassword") : t("fields.password")}
        hint={t("fields.newPasswordHint")}
        required
        error={error}
      />
      <Field
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        label={replacing ? t("fields.confirmNewPassword") : t("fields.confirmPassword")}
        required
        error={confirmError}
      />
    </>
  );
}
