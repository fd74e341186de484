// Form schemas of the account pages. Messages are i18n keys of the `auth` namespace
// (see parseForm in app/core/ui/form.server.ts).
import { z } from "zod";

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

const email = (required: string) =>
  z
    .string({ required_error: required })
    .trim()
    .toLowerCase()
    .max(254, "auth:errors.emailInvalid")
    .email("auth:errors.emailInvalid");

const newPassword = z
  .string({ required_error: "auth:errors.passwordRequired" })
  .min(PASSWORD_MIN, "auth:errors.passwordTooShort")
  .max(PASSWORD_MAX, "auth:errors.passwordTooLong");

const displayName = z
  .string({ required_error: "auth:errors.displayNameRequired" })
  .trim()
  .min(1, "auth:errors.displayNameRequired")
  .max(100, "auth:errors.displayNameTooLong");

const confirmation = z.string({ required_error: "auth:errors.confirmRequired" });

function sameAs(field: string, confirmField: string) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    if (value[field] !== value[confirmField]) ctx.addIssue({ code: "custom", path: [confirmField], message: "auth:errors.passwordMismatch" });
  };
}

export const signUpSchema = z
  .object({ email: email("auth:errors.emailRequired"), displayName, password: newPassword, confirmPassword: confirmation })
  .superRefine(sameAs("password", "confirmPassword"));

export const signInSchema = z.object({
  email: email("auth:errors.emailRequired"),
  password: z.string({ required_error: "auth:errors.passwordRequired" }).max(PASSWORD_MAX, "auth:errors.passwordTooLong"),
  retour: z.string().optional(),
});

export const forgotPasswordSchema = z.object({ email: email("auth:errors.emailRequired") });

export const resetPasswordSchema = z
  .object({ token: z.string({ required_error: "auth:errors.linkInvalid" }), password: newPassword, confirmPassword: confirmation })
  .superRefine(sameAs("password", "confirmPassword"));

export const displayNameSchema = z.object({ displayName });

export const emailChangeSchema = z.object({
  newEmail: email("auth:errors.newEmailRequired"),
  password: z.string({ required_error: "auth:errors.currentPasswordRequired" }),
});

export const passwordChangeSchema = z
  .object({
    currentPassword: z.string({ required_error: "auth:errors.currentPasswordRequired" }),
    newPassword,
    confirmPassword: confirmation,
  })
  .superRefine(sameAs("newPassword", "confirmPassword"));
