import { prepareDatabase } from "../setup.ts";

// prepareDatabase migrates to the latest version (and sets up roles and grants).
const db = await prepareDatabase({});
console.log("database is up to date");
await db.embedded?.stop();
