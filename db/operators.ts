// Platform operator accounts, created from the command line (db/cli/create-operator.ts) or,
// outside production, as the demo operator on first start. Runs as the owner role: the web
// app never creates operators.
import crypto from "node:crypto";
import pg from "pg";
import { Kysely, PostgresDialect } from "kysely";
import { z } from "zod";
import { hashPassword } from "../app/core/auth/password.server.ts";
import type { DB } from "../app/core/db/schema.ts";

export const DEMO_OPERATOR = {
  email: "operateur@communa.example.org",
  displayName: "Opérateur de démonstration",
  password: "Demo-Communa-2026",
} as const;

export const MIN_OPERATOR_PASSWORD_LENGTH = 12;

const operatorInput = z.object({
  email: z.string().trim().toLowerCase().email("not a valid email address").max(254),
  displayName: z.string().trim().min(1, "the name is empty").max(100, "the name is longer than 100 characters"),
  password: z.string().min(MIN_OPERATOR_PASSWORD_LENGTH, `the password is shorter than ${MIN_OPERATOR_PASSWORD_LENGTH} characters`),
});

export class OperatorInputError extends Error {}

function ownerDb(ownerUrl: string) {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: ownerUrl, max: 1 }) }) });
}

/** A password for a new operator: 20 random characters, printed once by the CLI. */
export function generateOperatorPassword() {
  return crypto.randomBytes(15).toString("base64url");
}

/**
 * Creates an operator; refuses an email already in use (nothing is changed then).
 * Returns the new operator's id.
 */
export async function createOperator(ownerUrl: string, input: { email: string; displayName: string; password: string }): Promise<string> {
  const parsed = operatorInput.safeParse(input);
  if (!parsed.success) throw new OperatorInputError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const { email, displayName, password } = parsed.data;
  const db = ownerDb(ownerUrl);
  try {
    const row = await db
      .insertInto("platform_operators")
      .values({ email, display_name: displayName, password_hash: await hashPassword(password) })
      .onConflict((oc) => oc.column("email").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!row) throw new OperatorInputError(`email: an operator with the address ${email} already exists`);
    return row.id;
  } finally {
    await db.destroy();
  }
}

/** The demo operator (non-production only); left as it is when it already exists. */
export async function ensureDemoOperator(ownerUrl: string, log: (m: string) => void = console.log) {
  const db = ownerDb(ownerUrl);
  try {
    const row = await db
      .insertInto("platform_operators")
      .values({
        email: DEMO_OPERATOR.email,
        display_name: DEMO_OPERATOR.displayName,
        password_hash: await hashPassword(DEMO_OPERATOR.password),
      })
      .onConflict((oc) => oc.column("email").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (row) log(`demo operator ${DEMO_OPERATOR.email} created`);
  } finally {
    await db.destroy();
  }
}
