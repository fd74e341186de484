import { Form } from "@remix-run/react";
import { CsrfInput } from "./CsrfInput";

/** Signing out changes state, so it is a CSRF-protected POST styled as a link, not a link. */
export function SignOutButton({ action, label }: { action: string; label: string }) {
  return (
    <Form method="post" action={action}>
      <CsrfInput />
      <button type="submit" className="link-button">
        {label}
      </button>
    </Form>
  );
}
