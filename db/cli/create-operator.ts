// npm run operator:create -- <email> "<display name>"
// The password comes from OPERATOR_PASSWORD, or is generated and printed once.
import { prepareDatabase } from "../setup.ts";
import { createOperator, generateOperatorPassword, OperatorInputError } from "../operators.ts";

const [email, displayName] = process.argv.slice(2);
if (!email || !displayName) {
  console.error('usage: npm run operator:create -- <email> "<display name>"   (password: OPERATOR_PASSWORD or generated)');
  process.exit(2);
}

const fromEnv = process.env.OPERATOR_PASSWORD;
const password = fromEnv ?? generateOperatorPassword();
const db = await prepareDatabase({ log: () => undefined });
try {
  await createOperator(db.ownerUrl, { email, displayName, password });
  console.log(`operator ${email.trim().toLowerCase()} created`);
  if (!fromEnv) console.log(`password (shown once, not stored in clear): ${password}`);
} catch (error) {
  console.error(error instanceof OperatorInputError ? `refused: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await db.embedded?.stop();
}
