import { useShellData } from "./root-data";

/** Hidden CSRF field: every mutating form includes it; the action wrapper refuses forms without it. */
export function CsrfInput() {
  const data = useShellData();
  return <input type="hidden" name="csrf" value={data?.csrfToken ?? ""} />;
}
