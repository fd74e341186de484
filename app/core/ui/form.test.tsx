import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { z } from "zod";
import { i18nFor } from "../i18n/i18n.server";
import { allResources } from "../i18n/resources.server";
import { ErrorSummary, Field } from "./form";
import { parseForm } from "./form.server";

function form(fields: Record<string, string | string[]>) {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) data.append(k, one);
  return data;
}

function translationExists(key: string) {
  const [ns, path] = key.split(":");
  let node: unknown = allResources.fr[ns];
  for (const part of path.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === "string";
}

describe("parseForm", () => {
  const schema = z.object({
    name: z.string().trim().min(1),
    email: z.string().email(),
    age: z.coerce.number().int().min(18).max(130),
    colour: z.enum(["red", "blue"]),
    tags: z.array(z.string()).optional(),
    bio: z.string().optional(),
    code: z.string().regex(/^\d+$/, "auth:errors.linkInvalid"),
  });

  it("maps zod issues to translation keys, never zod's English", () => {
    const result = parseForm(schema, form({ name: "  ", email: "nope", age: "12", colour: "green", code: "abc", csrf: "secret-token", password: "hunter2" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      name: "common:form.errors.required",
      email: "common:form.errors.email",
      age: "common:form.errors.tooShort",
      colour: "common:form.errors.choice",
      code: "auth:errors.linkInvalid",
    });
    for (const key of Object.values(result.errors)) expect(translationExists(key)).toBe(true);
    // What the user typed comes back, but never the CSRF token nor a password.
    expect(result.values).toEqual({ name: "  ", email: "nope", age: "12", colour: "green", code: "abc" });
  });

  it("treats empty fields as missing and repeated names as lists", () => {
    const result = parseForm(schema, form({ name: "Ana", email: "ana@example.org", age: "30", colour: "red", tags: ["a", "b"], bio: "", code: "42" }));
    expect(result).toEqual({ ok: true, data: { name: "Ana", email: "ana@example.org", age: 30, colour: "red", tags: ["a", "b"], bio: undefined, code: "42" } });
    const missing = parseForm(schema, form({ email: "", age: "30", colour: "red", code: "1" }));
    expect(missing.ok === false && missing.errors).toMatchObject({ name: "common:form.errors.required", email: "common:form.errors.required" });
  });
});

describe("Field and ErrorSummary", () => {
  const render = (node: React.ReactNode) => renderToStaticMarkup(<I18nextProvider i18n={i18nFor("fr")}>{node}</I18nextProvider>);

  it("links the label, the hint and the translated error to the input", () => {
    const html = render(<Field name="email" type="email" label="Adresse e-mail" hint="Votre adresse" required error="auth:errors.emailInvalid" defaultValue="x" />);
    expect(html).toContain('<label for="field-email">Adresse e-mail<span class="field__required"> (obligatoire)</span></label>');
    expect(html).toContain('<p class="hint" id="field-email-hint">Votre adresse</p>');
    expect(html).toContain('id="field-email-error"');
    expect(html).toContain("Saisissez une adresse e-mail valide");
    expect(html).toContain(
      '<input type="email" id="field-email" name="email" aria-describedby="field-email-hint field-email-error" aria-invalid="true" aria-required="true" value="x"/>',
    );
  });

  it("has no error attributes on a valid field, and renders selects and textareas", () => {
    const html = render(
      <>
        <Field name="bio" as="textarea" label="Bio" />
        <Field name="colour" as="select" label="Couleur" options={[{ value: "red", label: "Rouge" }]} />
      </>,
    );
    expect(html).not.toContain("aria-invalid");
    expect(html).not.toContain("aria-describedby");
    expect(html).toContain('<textarea id="field-bio" name="bio"></textarea>');
    expect(html).toContain('<select id="field-colour" name="colour"><option value="red">Rouge</option></select>');
  });

  it("lists each error as a link to its field, under a heading that counts them", () => {
    const html = render(<ErrorSummary errors={{ email: "auth:errors.emailInvalid", password: "auth:errors.passwordTooShort" }} />);
    expect(html).toContain('role="alert"');
    expect(html).toContain("Le formulaire contient 2 erreurs. Corrigez-les pour continuer.");
    expect(html).toContain('<a href="#field-email">Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.</a>');
    expect(html).toContain('<a href="#field-password">Le mot de passe doit contenir au moins 10 caractères.</a>');
    expect(render(<ErrorSummary errors={{}} />)).toBe("");
  });
});
