import { hash, verify } from "@node-rs/argon2";

// argon2id with the OWASP minimum profile (19 MiB, 2 iterations): ~70 ms here.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Spend the same time as a real check, so response time does not reveal unknown accounts. */
const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$mWQEUSLUPJc16QoSl6BNzg$UeZmOc6hTZ5aZzJZ4kyPlyJWSxjSoWcWJpmriIRBo8g";
export async function burnPasswordCheck(password: string) {
  await verifyPassword(DUMMY_HASH, password);
}
